// Each webview's requests are one map of kinds to params and replies; the host's handlers and the
// webview's request function are both typed by it. The lines marked @ts-expect-error are checked
// by the type check (npx tsc -p tsconfig.json --noEmit): a wrong reply, a missing handler, wrong
// params or an undeclared kind do not compile. At run time a kind the map does not declare is an
// error reply, never a handler found elsewhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DescribeReply, EditorState, MaskEditorRequests } from '../../../webviews/maskEditor/messages';
import { type Handlers, type RequestFunction, type RequestOf, answer, createRequester, dispatch, requestFunction } from '../../../webviews/protocol';
import type { ReportRequests } from '../../../webviews/report/messages';
import type { DashboardRequests } from '../../../webviews/training/messages';

/** A webview's request function joined to a host's handlers, each message a JSON copy as postMessage makes it. */
function joined<M>(handlers: Handlers<M>): { request: RequestFunction<M>; raw: (body: { kind: string }) => Promise<unknown> } {
  const handle = dispatch(handlers);
  const asker = createRequester<RequestOf<M>>((message) => {
    const copy = JSON.parse(JSON.stringify(message));
    void answer(copy, handle).then((reply) => asker.settle(JSON.parse(JSON.stringify(reply))));
  });
  return { request: requestFunction<M>(asker), raw: (body) => asker.request(body as RequestOf<M>) };
}

test('a request reaches the handler of its kind with its params, and its reply comes back', async () => {
  const opened: string[] = [];
  const report: Handlers<ReportRequests> = {
    ready: () => null,
    openImage: async ({ path }) => {
      opened.push(path);
      return null;
    },
    pickCompare: () => null,
    stopCompare: () => {
      throw new Error('nothing is compared');
    },
  };
  const { request } = joined(report);
  assert.equal(await request('openImage', { path: 'test/crack/000.png' }), null);
  assert.deepEqual(opened, ['test/crack/000.png']);
  assert.equal(await request('ready'), null);
  await assert.rejects(request('stopCompare'), /nothing is compared/);

  const { request: ask } = joined<MaskEditorRequests>({ ...unusedMaskEditor(), describe: ({ region, topK }) => ({ region, ranking: [{ text: 'crack', cosine: 0.3, probability: topK ?? 0 }], bundle: 'b', ms: 1 }) });
  const reply: DescribeReply = await ask('describe', { region: 4, topK: 3 });
  assert.deepEqual(reply.ranking, [{ text: 'crack', cosine: 0.3, probability: 3 }]);
  assert.equal(reply.region, 4);
});

test('a kind the map does not declare is an error reply, inherited names included', async () => {
  const dashboard: Handlers<DashboardRequests> = { ready: () => null, cancel: () => null, resume: () => null };
  const { raw } = joined(dashboard);
  await assert.rejects(raw({ kind: 'save' }), /no request of the kind "save"/);
  await assert.rejects(raw({ kind: 'toString' }), /no request of the kind "toString"/);
  await assert.rejects(raw({ kind: '__proto__' }), /no request of the kind "__proto__"/);
  await assert.rejects(raw({ kind: 'constructor' }), /no request of the kind "constructor"/);
});

function unusedMaskEditor(): Handlers<MaskEditorRequests> {
  const no = (): never => {
    throw new Error('not asked');
  };
  return { ready: no, edit: no, undo: no, redo: no, describe: no, newRegionLabel: no, newClass: no, chooseMask: no };
}

/** Never run: what the type check refuses. */
export function refusedByTheTypeCheck(request: RequestFunction<MaskEditorRequests>): void {
  const report: Handlers<ReportRequests> = {
    ready: () => null,
    // @ts-expect-error openImage's reply is null, not the path
    openImage: ({ path }) => path,
    pickCompare: async () => null,
    // @ts-expect-error stopCompare's reply is null, not a promise of a string
    stopCompare: async () => 'stopped',
  };
  // @ts-expect-error every kind of the map needs its handler (resume is missing)
  const dashboard: Handlers<DashboardRequests> = { ready: () => null, cancel: () => null };
  // @ts-expect-error describe's reply is a DescribeReply, not the document
  const state: Promise<EditorState> = request('describe', { region: 1 });
  // @ts-expect-error describe names its region
  void request('describe', { topK: 3 });
  // @ts-expect-error undo carries nothing
  void request('undo', { region: 1 });
  // @ts-expect-error edit carries its edit
  void request('edit');
  // @ts-expect-error the mask editor has no request 'saved'
  void request('saved');
  void [report, dashboard, state];
}
