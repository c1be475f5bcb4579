// What Describe Region's panel lists of a result, without VS Code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeView } from '../../../extension/describe/describeView';
import type { DescribeRegionsResult } from '../../../server/rpc/protocol';

const ranking = [{ text: 'cut in tire', cosine: 0.31, probability: 0.7 }, { text: 'hole in tire', cosine: 0.29, probability: 0.3 }];

describe('describe view', () => {
  it('numbers the regions in the order of the answer and says where each came from', () => {
    const result: DescribeRegionsResult = {
      image: '/ws/sample/tire/test/combined/000.png',
      bundle: '/ext/media/default-model',
      regions: [
        { source: { kind: 'region-of', file: '/m.png', index: 0, of: 2, bbox: [1, 2, 3, 4], area: 107 }, wholeImage: false, outsideCrop: false, ranking },
        { source: { kind: 'region-of', file: '/m.png', index: 1, of: 2, bbox: [5, 6, 7, 8], area: 9 }, wholeImage: false, outsideCrop: true, ranking },
        { source: { kind: 'mask', file: '/ds/masks/000_2.png' }, wholeImage: false, outsideCrop: false, ranking },
        { source: { kind: 'pixels', index: 3, area: 12 }, wholeImage: true, outsideCrop: false, ranking },
      ],
      warnings: ['a warning'],
      picture: { dataUrl: 'data:image/png;base64,AA==', width: 10, height: 10 },
    };
    const view = describeView(result, 'the embedded default model');
    assert.equal(view.imageName, '000.png');
    assert.equal(view.imageFolder, 'test/combined');
    assert.equal(view.bundleName, 'the embedded default model');
    assert.deepEqual(view.picture, result.picture);
    assert.deepEqual(view.regions.map((r) => [r.id, r.where, r.note]), [
      [1, 'region 1 of 2 · 107 px', undefined],
      [2, 'region 2 of 2 · 9 px', 'the region lies partly outside the centred square the model sees'],
      [3, '000_2.png', undefined],
      [4, 'region 4 · 12 px', 'the region is empty: the whole image was described'],
    ]);
    assert.deepEqual(view.regions[0].ranking, ranking);
    assert.deepEqual(view.warnings, ['a warning']);
  });

  it('a region whose best answer is below the threshold says it is uncertain, the setting ruling over the bundle\'s', () => {
    const result: DescribeRegionsResult = {
      image: '/a.png',
      bundle: '/b',
      uncertainBelow: 0.8,
      regions: [{ source: { kind: 'mask', file: '/m.png' }, wholeImage: false, outsideCrop: false, ranking }],
      warnings: [],
    };
    assert.equal(describeView(result, 'b').regions[0].uncertain, 'uncertain: the best answer is below 80 %; its top candidates');
    assert.equal(describeView(result, 'b', 0.6).regions[0].uncertain, undefined);
    assert.equal(describeView(result, 'b', null).regions[0].uncertain, 'uncertain: the best answer is below 80 %; its top candidates');
    assert.equal(describeView({ ...result, uncertainBelow: undefined }, 'b').regions[0].uncertain, undefined, 'a server without a threshold: 0.5');
  });

  it('an image described whole says why', () => {
    const view = describeView({ image: '/a.png', bundle: '/b', regions: [{ source: { kind: 'whole-image', reason: 'no region designated' }, wholeImage: true, outsideCrop: false, ranking }], warnings: [] }, 'b');
    assert.deepEqual(view.regions.map((r) => [r.where, r.note]), [['whole image (no region designated)', undefined]]);
    assert.equal(view.picture, undefined);
  });
});
