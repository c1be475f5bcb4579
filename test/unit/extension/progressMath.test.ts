import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EtaEstimator, IncrementTracker, formatDuration, progressText } from '../../../extension/jobProgress/progressMath';

test('the ETA follows the rate since the first report with work done', () => {
  let now = 1_000;
  const eta = new EtaEstimator(() => now);
  assert.deepEqual(eta.update(0, 0), {});
  assert.deepEqual(eta.update(10, 100), { percent: 10 });
  now += 9_000; // 30 more done in 9 s: 60 left take 18 s
  assert.deepEqual(eta.update(40, 100), { percent: 40, etaSeconds: 18 });
  now += 1_000;
  assert.equal(eta.update(100, 100).etaSeconds, 0);
});

test('a count that starts again restarts the estimate', () => {
  let now = 0;
  const eta = new EtaEstimator(() => now);
  eta.update(50, 100);
  now = 5_000;
  assert.deepEqual(eta.update(10, 200), { percent: 5 });
});

test('progress texts and durations read as people write them', () => {
  assert.equal(formatDuration(5.4), '5 s');
  assert.equal(formatDuration(65), '1 min 05 s');
  assert.equal(formatDuration(3 * 3600 + 7 * 60), '3 h 07 min');
  assert.equal(progressText({ percent: 42.9, etaSeconds: 65 }, 'epoch 2'), '42% · about 1 min 05 s left · epoch 2');
  assert.equal(progressText({}, 'reading the sources'), 'reading the sources');
});

test('increments add up to the percentage and never go back', () => {
  const inc = new IncrementTracker();
  assert.equal(inc.next(undefined), undefined);
  assert.equal(inc.next(10), 10);
  assert.equal(inc.next(5), undefined);
  assert.equal(inc.next(25), 15);
});
