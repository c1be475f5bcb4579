import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RequestEnvelope, answer, createRequester, isEnvelope } from '../../../webviews/protocol';

type Req = { kind: 'add'; a: number; b: number } | { kind: 'fail' };

/** Two sides joined by a queue, as a webview and its host are by postMessage (JSON copies). */
function pair() {
  const toHost: unknown[] = [];
  const asker = createRequester<Req>((m) => toHost.push(JSON.parse(JSON.stringify(m))));
  const host = async () => {
    while (toHost.length) {
      const message = toHost.shift() as RequestEnvelope<Req>;
      const reply = await answer(message, (body) => {
        if (body.kind === 'fail') throw new Error('no such job');
        return body.a + body.b;
      });
      asker.settle(JSON.parse(JSON.stringify(reply)));
    }
  };
  return { asker, toHost, host };
}

test('each request is settled by the reply with its id, in any order', async () => {
  const { asker, toHost, host } = pair();
  const first = asker.request({ kind: 'add', a: 1, b: 2 });
  const second = asker.request({ kind: 'add', a: 10, b: 20 });
  assert.deepEqual(toHost.map((m) => (m as RequestEnvelope<Req>).id), [1, 2]);
  toHost.reverse();
  assert.equal(asker.pending(), 2);
  await host();
  assert.deepEqual(await Promise.all([first, second]), [3, 30]);
  assert.equal(asker.pending(), 0);
});

test('a handler that throws becomes an error reply that rejects the request', async () => {
  const { asker, host } = pair();
  const failing = asker.request({ kind: 'fail' });
  await host();
  await assert.rejects(failing, /no such job/);
});

test('replies nobody waits for, events and foreign messages are not taken as replies', () => {
  const asker = createRequester<Req>(() => undefined);
  assert.equal(asker.settle({ type: 'reply', id: 99, ok: true, body: 1 }), false);
  assert.equal(asker.settle({ type: 'event', body: { kind: 'job' } }), false);
  assert.equal(asker.settle('hello'), false);
  assert.equal(asker.settle(null), false);
});

test('rejectAll fails the waiting requests; a post that throws rejects at once', async () => {
  const asker = createRequester<Req>(() => undefined);
  const waiting = asker.request({ kind: 'add', a: 1, b: 1 });
  asker.rejectAll('panel closed');
  await assert.rejects(waiting, /panel closed/);
  const broken = createRequester<Req>(() => {
    throw new Error('webview is disposed');
  });
  await assert.rejects(broken.request({ kind: 'fail' }), /disposed/);
  assert.equal(broken.pending(), 0);
});

test('isEnvelope accepts the three shapes and refuses others', () => {
  assert.ok(isEnvelope({ type: 'request', id: 1, body: { kind: 'cancel' } }));
  assert.ok(isEnvelope({ type: 'reply', id: 1, ok: false, error: 'x' }));
  assert.ok(isEnvelope({ type: 'event', body: { kind: 'history', events: [] } }));
  assert.ok(!isEnvelope({ type: 'request', body: { kind: 'cancel' } }));
  assert.ok(!isEnvelope({ type: 'event', body: {} }));
  assert.ok(!isEnvelope({ type: 'other', id: 1 }));
  assert.ok(!isEnvelope(undefined));
});
