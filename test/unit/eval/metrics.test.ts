// Metrics on hand-written prediction records; every expected number is worked out by hand
// in the comments.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  byDefectClass,
  byImageKind,
  byObject,
  byRegionCount,
  computeMetrics,
  confusionMatrix,
  maskFollowing,
  regionCountLabel,
  topConfusions,
  topKAccuracy,
  type RegionPrediction,
} from '../../../server/eval';
import { modelCell, percent, signedPoints } from '../../../server/eval/report/format';

const answers = (...texts: string[]) => texts.map((text, i) => ({ text, cosine: 0.9 - i * 0.1, probability: 0.5 / (i + 1) }));

function rec(image: string, region: number, regionCount: number, object: string, defect: string, truth: string, model: string[], baseline: string[]): RegionPrediction {
  return { image, object, defect, region, regionCount, mask: `${image}.${region}.png`, truth, model: answers(...model), baseline: answers(...baseline) };
}

const BROKEN = 'broken bottle';
const DIRTY = 'contaminated bottle';
const BENT = 'bent wire';
const SWAP = 'cable swap';

//            model right?  baseline right?
// A          yes           no
// B0, B1     yes, yes      yes, no
// C0, C1, C2 yes, no, yes  no, no, yes
// D0..D7     even yes      odd yes       (truth alternates bent/swap; model always bent, baseline always swap)
const records: RegionPrediction[] = [
  rec('a', 0, 1, 'bottle', 'broken', BROKEN, [BROKEN, DIRTY], [DIRTY, BROKEN]),
  rec('b', 0, 2, 'bottle', 'broken', BROKEN, [BROKEN, DIRTY], [BROKEN, DIRTY]),
  rec('b', 1, 2, 'bottle', 'contamination', DIRTY, [DIRTY, BROKEN], [BROKEN, DIRTY]),
  rec('c', 0, 3, 'cable', 'bent_wire', BENT, [BENT, SWAP], [SWAP, BENT]),
  rec('c', 1, 3, 'cable', 'bent_wire', BENT, [SWAP, BENT], [SWAP, BENT]),
  rec('c', 2, 3, 'cable', 'cable_swap', SWAP, [SWAP, BENT], [SWAP, BENT]),
  ...Array.from({ length: 8 }, (_, i) => rec('d', i, 8, 'cable', i % 2 ? 'cable_swap' : 'bent_wire', i % 2 ? SWAP : BENT, [BENT], [SWAP])),
];

const acc = (correct: number, total: number) => ({ correct, total, rate: correct / total });

describe('accuracy tables', () => {
  it('groups by number of regions in the image (1 … 7, then 8+), as paper Table 4', () => {
    assert.equal(regionCountLabel(1), '1');
    assert.equal(regionCountLabel(7), '7');
    assert.equal(regionCountLabel(8), '8+');
    assert.equal(regionCountLabel(31), '8+');
    const rows = byRegionCount(records, true);
    assert.deepEqual(
      rows.map((r) => [r.label, r.regions, r.model, r.baseline]),
      [
        ['1', 1, acc(1, 1), acc(0, 1)],
        ['2', 2, acc(2, 2), acc(1, 2)],
        ['3', 3, acc(2, 3), acc(1, 3)],
        ['8+', 8, acc(4, 8), acc(4, 8)],
      ],
    );
    assert.equal(rows[2].difference, 2 / 3 - 1 / 3);
  });

  it('groups by kind of image: one region, several of one description, several of different ones', () => {
    // a: one region (model 1/1, baseline 0/1). b, c, d hold different descriptions:
    // model 2 + 2 + 4 = 8 of 13, baseline 1 + 1 + 4 = 6 of 13. e: two broken regions,
    // model right on e0 only, baseline on both.
    const withSame = [
      ...records,
      rec('e', 0, 2, 'bottle', 'broken', BROKEN, [BROKEN], [BROKEN]),
      rec('e', 1, 2, 'bottle', 'broken', BROKEN, [DIRTY], [BROKEN]),
    ];
    assert.deepEqual(
      byImageKind(withSame, true).map((r) => [r.label, r.regions, r.model, r.baseline]),
      [
        ['one region', 1, acc(1, 1), acc(0, 1)],
        ['several regions, one description', 2, acc(1, 2), acc(2, 2)],
        ['several regions, different descriptions', 13, acc(8, 13), acc(6, 13)],
      ],
    );
    assert.deepEqual(
      byImageKind(records, false).map((r) => [r.label, r.model, r.baseline]),
      [
        ['one region', acc(1, 1), undefined],
        ['several regions, different descriptions', acc(8, 13), undefined],
      ],
    );
  });

  it('groups by object (paper Table 5) and by defect class', () => {
    assert.deepEqual(
      byObject(records, true).map((r) => [r.label, r.model, r.baseline]),
      [
        ['bottle', acc(3, 3), acc(1, 3)],
        ['cable', acc(6, 11), acc(5, 11)],
      ],
    );
    assert.deepEqual(
      byDefectClass(records, true).map((r) => [r.object, r.defect, r.descriptions, r.model, r.baseline]),
      [
        ['bottle', 'broken', [BROKEN], acc(2, 2), acc(1, 2)],
        ['bottle', 'contamination', [DIRTY], acc(1, 1), acc(0, 1)],
        ['cable', 'bent_wire', [BENT], acc(5, 6), acc(0, 6)],
        ['cable', 'cable_swap', [SWAP], acc(1, 5), acc(5, 5)],
      ],
    );
  });

  it('totals 9 of 14 for the model and 6 of 14 for the baseline', () => {
    const m = computeMetrics(records, { topK: 2 });
    assert.equal(m.regions, 14);
    assert.equal(m.images, 4);
    assert.deepEqual(m.total.model, acc(9, 14));
    assert.deepEqual(m.total.baseline, acc(6, 14));
    assert.equal(m.total.difference, 9 / 14 - 6 / 14);
  });

  it('leaves the baseline out when no record has one', () => {
    const alone = records.map(({ baseline: _b, ...r }) => r);
    const m = computeMetrics(alone, { topK: 1 });
    assert.equal(m.total.baseline, undefined);
    assert.equal(m.total.difference, undefined);
    assert.equal(m.maskFollowing.baseline, undefined);
    assert.deepEqual(m.total.model, acc(9, 14));
  });
});

describe('top-k and confusions', () => {
  it('counts the truth among the first k answers', () => {
    // top-2 adds C1 for the model (bent wire second) and A, B1, C0, C1 for the baseline.
    const rows = topKAccuracy(records, 2, true);
    assert.deepEqual(rows.map((r) => [r.k, r.model, r.baseline]), [
      [1, acc(9, 14), acc(6, 14)],
      [2, acc(10, 14), acc(10, 14)],
    ]);
  });

  it('builds the ground truth × prediction matrix', () => {
    const m = confusionMatrix(records, 'model');
    assert.deepEqual(m.labels, [BENT, BROKEN, SWAP, DIRTY]);
    assert.deepEqual(m.counts, [
      [5, 0, 1, 0], // bent: C0 and D0/2/4/6 right, C1 taken for a swap
      [0, 2, 0, 0],
      [4, 0, 1, 0], // swap: D1/3/5/7 taken for bent wire, C2 right
      [0, 0, 0, 1],
    ]);
    assert.equal(m.counts.flat().reduce((a, b) => a + b, 0), records.length);
    assert.deepEqual(topConfusions(m, 5), [
      { truth: SWAP, predicted: BENT, count: 4 },
      { truth: BENT, predicted: SWAP, count: 1 },
    ]);
    assert.deepEqual(topConfusions(m, 1), [{ truth: SWAP, predicted: BENT, count: 4 }]);
  });
});

describe('mask following', () => {
  it('counts pairs of differently described regions whose answers differ', () => {
    // Pairs with different truths: b (B0,B1); c (C0,C2), (C1,C2); d 4 bent × 4 swap = 16 → 19.
    // Model: answers differ for (B0,B1) and (C0,C2), both right for the same two pairs.
    assert.deepEqual(maskFollowing(records, 'model'), { images: 3, pairs: 19, differ: 2, bothRight: 2, followRate: 2 / 19, bothRightRate: 2 / 19 });
    // Baseline: the same answer within b, within c and within d.
    assert.deepEqual(maskFollowing(records, 'baseline'), { images: 3, pairs: 19, differ: 0, bothRight: 0, followRate: 0, bothRightRate: 0 });
  });

  it('is undefined (null rates) without images of several descriptions', () => {
    const single = records.filter((r) => r.image === 'a');
    assert.deepEqual(maskFollowing(single, 'model'), { images: 0, pairs: 0, differ: 0, bothRight: 0, followRate: null, bothRightRate: null });
  });
});

describe('number formats of the tables', () => {
  it('writes the model cell with the gap to the baseline, as in the paper', () => {
    assert.equal(modelCell(acc(7415, 10000), acc(1747, 10000)), '74.15 (+56.68)');
    assert.equal(modelCell(acc(1, 4), acc(1, 2)), '25.00 (-25.00)');
    assert.equal(modelCell(acc(1, 3), acc(1, 3)), '33.33 (+0.00)');
    assert.equal(modelCell(acc(1, 3)), '33.33');
    assert.equal(signedPoints(-0.000001), '+0.00');
    assert.equal(percent(null), '—');
  });
});
