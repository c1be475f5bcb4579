// One progress over stages that each count from zero: started once, never going back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { progressInStages, type Progress } from '../../../server/util/progress';

function recorder(): { progress: Progress; starts: number[]; done: number[]; infos: string[] } {
  const r = { starts: [] as number[], done: [] as number[], infos: [] as string[], progress: undefined as unknown as Progress };
  let count = 0;
  r.progress = {
    start: (total) => {
      r.starts.push(total);
      count = 0;
    },
    tick: (n = 1, info) => {
      r.done.push((count += n));
      if (info) r.infos.push(info);
    },
    stop: () => undefined,
  };
  return r;
}

describe('progress in stages', () => {
  it('scales each stage into its share, counts a stage that ends short or is skipped as done, and ends at the total', () => {
    const r = recorder();
    const { stages, finish } = progressInStages(r.progress, [10, 0, 30, 5], 'reviewing');
    stages[0].start(5, 'evaluating regions');
    stages[0].tick(2);
    stages[0].tick(2, 'half');
    // The first stage ends one short; the second (no regions) is skipped.
    stages[2].start(3, 'evaluating regions');
    stages[2].tick(3);
    finish();
    assert.deepEqual(r.starts, [45]);
    assert.deepEqual(r.done, [4, 8, 10, 40, 45]);
    assert.deepEqual(r.infos, ['half']);
  });

  it('ticks more than a stage announced do not run into the next stage', () => {
    const r = recorder();
    const { stages } = progressInStages(r.progress, [4, 4], 'x');
    stages[0].start(2, 'a');
    stages[0].tick(5);
    stages[1].start(4, 'b');
    stages[1].tick(1);
    assert.deepEqual(r.done, [4, 5]);
  });
});
