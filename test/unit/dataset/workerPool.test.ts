import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { createTaskPool, findWorkerScript } from '../../../server/dataset/workerPool';
import { withTempDir } from './fixtures';

const workerSource = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, task }) => {
  if (task < 0) parentPort.postMessage({ id, error: 'negative ' + task });
  else if (task === 999) process.exit(3);
  else setTimeout(() => parentPort.postMessage({ id, result: { square: task * task, thread: threadId } }), 5);
});`;

test('the pool spreads tasks over its threads and returns each result to its caller', async () => {
  await withTempDir('pool', async (dir) => {
    writeFileSync(join(dir, 'w.js'), workerSource);
    const pool = createTaskPool<number, { square: number; thread: number }>({ workers: 2, script: { file: join(dir, 'w.js') }, inline: async () => assert.fail('not inline') });
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.run(i)));
      assert.deepEqual(results.map((r) => r.square), Array.from({ length: 20 }, (_, i) => i * i));
      assert.equal(new Set(results.map((r) => r.thread)).size, 2);
      assert.ok(!results.some((r) => r.thread === threadId));
      await assert.rejects(pool.run(-2), /negative -2/);
      // A worker that dies fails its task; the pool replaces it and goes on.
      await assert.rejects(pool.run(999), /exited with code 3/);
      assert.equal((await pool.run(7)).square, 49);
    } finally {
      await pool.close();
    }
  });
});

test('without a worker script or with zero workers tasks run in this thread', async () => {
  let active = 0;
  let peak = 0;
  const inline = async (n: number) => {
    peak = Math.max(peak, ++active);
    await new Promise((r) => setTimeout(r, 2));
    active--;
    return n + 1;
  };
  const pool = createTaskPool({ workers: 4, script: undefined, inline, perWorker: 3 });
  assert.equal(pool.size, 0);
  assert.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6].map((n) => pool.run(n))), [2, 3, 4, 5, 6, 7]);
  assert.equal(peak, 3);
});

test('the build worker is found as TypeScript source when running from source', () => {
  const script = findWorkerScript(join(__dirname, '..', '..', '..', 'server', 'dataset'), 'build-worker', 'buildWorker');
  assert.ok(script && 'eval' in script && script.eval.includes('buildWorker.ts'));
  assert.equal(findWorkerScript(__dirname, 'build-worker', 'nothing-here'), undefined);
});
