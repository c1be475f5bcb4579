// The Review view's rows and the accepted labels, without VS Code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acceptKey, openItems, recordRegions, restoredQueue, reviewRow, stillAsReviewed, storedQueue, STORED_QUEUE_VERSION } from '../../../extension/review/reviewModel';
import type { ReviewItem, ReviewQueue } from '../../../server/editor/reviewTypes';

const item = (record: string, region: number, truth: string, answer: string, p: number): ReviewItem => ({
  split: 'test', image: `/ds/${record}`, record, region, mask: `masks/${record}_${region}.png`, object: 'plate', defect: 'scratch', truth,
  model: [{ text: answer, probability: p }, { text: truth, probability: 1 - p }], confidence: p, truthProbability: 1 - p, version: `record:${record}`,
});

describe('review rows', () => {
  it('shows the model\'s answer with its probability and the label, and hides accepted labels while the label stays', () => {
    const a = item('images/a.png', 0, 'scratch on plate', 'dent in plate', 0.875);
    const b = item('images/b.png', 1, 'scratch on plate', 'hole in plate', 0.6);
    const row = reviewRow(a);
    assert.equal(row.label, 'dent in plate (87.5 %)');
    assert.equal(row.description, 'label: scratch on plate · images/a.png region 1');
    assert.match(row.tooltip, /label: scratch on plate \(model 12\.5 %\)/);
    assert.deepEqual(openItems([a, b], new Set([acceptKey(a)])), [b]);
    const relabelled = { ...a, truth: 'crack in plate' };
    assert.deepEqual(openItems([relabelled], new Set([acceptKey(a)])), [relabelled], 'a new label is reviewed again');
  });
});

describe('review items after the dataset changed', () => {
  it('an item holds while its record keeps the region\'s mask and label; relabelled, redrawn, gone or broken it does not', () => {
    const a = item('images/a.png', 1, 'scratch on plate', 'dent in plate', 0.9);
    const line = (regions: { mask: string; description: string }[]) => JSON.stringify({ image: 'images/a.png', regions });
    const first = { mask: 'masks/images/a.png_0.png', description: 'hole in plate' };
    const same = { mask: a.mask, description: a.truth };
    const records = (text: string) => recordRegions(text).get('images/a.png');
    assert.equal(stillAsReviewed(a, records(`${line([first, same])}\n`)), true, 'another region of the record changed nothing');
    assert.equal(stillAsReviewed(a, records(line([first, { ...same, description: 'dent in plate' }]))), false, 'relabelled elsewhere');
    assert.equal(stillAsReviewed(a, records(line([first, { ...same, mask: 'masks/images/a.png_1.1234abcd.png' }]))), false, 'its mask redrawn');
    assert.equal(stillAsReviewed(a, records(line([same]))), false, 'its index now names another region, or none');
    assert.equal(stillAsReviewed(a, records(`{"image": "images/a.png", broken\n`)), false, 'a broken line');
    assert.equal(stillAsReviewed(a, records('')), false, 'the record is gone');
  });
});

describe('the review queue kept across a reload', () => {
  it('reads back the queue kept for its dataset and bundle, through JSON as the workspace state keeps it', () => {
    const queue: ReviewQueue = { dataset: '/ws/ds', bundle: '/ext/media/default-model', regions: 12, items: [item('images/a.png', 0, 'scratch on plate', 'dent in plate', 0.8)], cached: false };
    const kept = JSON.parse(JSON.stringify(storedQueue(queue))) as unknown;
    assert.deepEqual(restoredQueue(kept), { ...queue, cached: true });
  });

  it('leaves out what is no queue of this form: another version, another key, a broken item, nothing', () => {
    const queue: ReviewQueue = { dataset: '/ws/ds', bundle: '/b', regions: 1, items: [item('images/a.png', 0, 'scratch on plate', 'dent in plate', 0.8)], cached: false };
    const kept = storedQueue(queue);
    assert.equal(restoredQueue(undefined), undefined);
    assert.equal(restoredQueue({ ...kept, version: STORED_QUEUE_VERSION + 1 }), undefined);
    assert.equal(restoredQueue({ ...kept, key: storedQueue({ ...queue, bundle: '/other' }).key }), undefined);
    assert.equal(restoredQueue({ ...kept, queue: { ...queue, items: [{ ...queue.items[0], model: [] }] } }), undefined);
    assert.equal(restoredQueue({ ...kept, queue: { ...queue, items: [{ ...queue.items[0], region: -1 }] } }), undefined);
    assert.equal(restoredQueue({ ...kept, queue: { ...queue, items: 'x' } }), undefined);
  });
});
