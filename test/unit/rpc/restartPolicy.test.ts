import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CrashHistory } from '../../../extension/client/restartPolicy';

function history(policy = { maxRestarts: 3, windowMs: 1000, baseDelayMs: 100, maxDelayMs: 300 }) {
  let now = 0;
  const crashes = new CrashHistory(policy, () => now);
  return { crashes, at: (t: number) => (now = t) };
}

test('each crash within the window doubles the delay up to the cap; one more than allowed gives up', () => {
  const { crashes, at } = history();
  at(0);
  assert.deepEqual(crashes.record(), { restart: true, attempt: 1, delayMs: 100 });
  at(10);
  assert.deepEqual(crashes.record(), { restart: true, attempt: 2, delayMs: 200 });
  at(20);
  assert.deepEqual(crashes.record(), { restart: true, attempt: 3, delayMs: 300 });
  at(30);
  assert.deepEqual(crashes.record(), { restart: false, crashes: 4 });
});

test('crashes older than the window are forgotten, and reset forgets them all', () => {
  const { crashes, at } = history();
  at(0);
  crashes.record();
  at(500);
  crashes.record();
  at(1200); // the crash at 0 has left the window
  assert.deepEqual(crashes.record(), { restart: true, attempt: 2, delayMs: 200 });
  crashes.reset();
  assert.deepEqual(crashes.record(), { restart: true, attempt: 1, delayMs: 100 });
});
