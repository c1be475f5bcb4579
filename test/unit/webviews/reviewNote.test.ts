// The built mask editor webview opened from a review item: beside the regions, what Review Labels
// found of the selected region (its label, the model's answers), and a button that proposes the
// model's answer as the region's label, an edit like any other.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { decodeEdit } from '../../../server/editor/maskDocument/editCodec';
import { encodeLabels } from '../../../server/editor/labelsCodec';
import type { EditorState } from '../../../webviews/maskEditor/messages';
import { DARK_THEME, closeBrowser, openWebview, type WebviewPage } from './webviewPage';

const W = 64;
const H = 48;
let view: WebviewPage;

before(async () => {
  view = await openWebview('maskEditor', { theme: DARK_THEME, width: 1000, height: 700 });
});
after(async () => {
  await view?.close();
  await closeBrowser();
});

test("the review note shows the label and the model's answers, and its button proposes the answer as the region's label", async () => {
  const ready = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'ready', 15_000);
  const labels = new Uint16Array(W * H);
  for (let y = 5; y < 15; y++) for (let x = 5; x < 15; x++) labels[y * W + x] = 1;
  for (let y = 20; y < 30; y++) for (let x = 30; x < 40; x++) labels[y * W + x] = 2;
  const png = await sharp(Buffer.alloc(W * H * 3, 90), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer();
  const state: EditorState = {
    width: W,
    height: H,
    imageUri: `data:image/png;base64,${png.toString('base64')}`,
    labels: encodeLabels(labels),
    regions: [
      { id: 1, defect: 'scratch', description: 'scratch on plate' },
      { id: 2, defect: 'scratch', description: 'scratch on plate' },
    ],
    descriptions: ['dent in plate', 'scratch on plate'],
    classes: [
      { defect: 'dent', description: 'dent in plate' },
      { defect: 'scratch', description: 'scratch on plate' },
    ],
    files: ['/data/ds/test.jsonl'],
    select: 2,
    review: { region: 2, truth: 'scratch on plate', model: [{ text: 'dent in plate', probability: 0.875 }, { text: 'scratch on plate', probability: 0.1 }], bundle: '/ext/media/default-model' },
  };
  await view.send({ type: 'reply', id: ready.id, ok: true, body: state });
  await view.page.waitForSelector('body[data-ready="true"] .review-note', { timeout: 15_000 });
  const note = view.page.locator('.review-note');
  const text = await note.innerText();
  assert.match(text, /region #2/);
  assert.match(text, /Labelled: scratch on plate/);
  assert.match(text, /default-model reads it as/);
  assert.deepEqual(await note.locator('.answers li .text').allInnerTexts(), ['dent in plate', 'scratch on plate']);
  assert.deepEqual(await note.locator('.answers li .probability').allInnerTexts(), ['87.5 %', '10.0 %']);
  assert.equal(await view.page.locator('.region.selected').getAttribute('data-region'), '2');

  // Region 1 selected meanwhile: the button still labels region 2.
  await view.page.locator('.region[data-region="1"] .head').click();
  await note.locator('vscode-button.take').click();
  const edit = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'edit', 15_000);
  const proposed = decodeEdit((edit.body as { edit: Parameters<typeof decodeEdit>[0] }).edit, W * H);
  assert.equal(proposed.kind, 'describe');
  assert.deepEqual(proposed.regionsAfter, [{ id: 2, defect: 'dent', description: 'dent in plate' }]);
  // The host applies it and sends it back: the note says the region now has the model's answer.
  await view.send({ type: 'reply', id: edit.id, ok: true, body: null });
  await view.send({ type: 'event', body: { kind: 'edit', edit: (edit.body as { edit: unknown }).edit, direction: 'apply' } });
  await note.locator('.taken').waitFor({ timeout: 15_000 });
  assert.equal(await note.locator('vscode-button.take').count(), 0);
  await view.screenshot('mask-editor-review-note');
  assert.deepEqual(view.problems, []);
});

test('a review note whose model answer is uncertain says so above its top candidates', async () => {
  const note = view.page.locator('.review-note');
  const model = [{ text: 'scratch on plate', probability: 0.41 }, { text: 'dent in plate', probability: 0.39 }];
  await view.send({ type: 'event', body: { kind: 'review', note: { region: 1, truth: 'dent in plate', model, bundle: '/ext/media/default-model', uncertain: true } } });
  await note.locator('.model.uncertain').waitFor({ timeout: 15_000 });
  const text = await note.innerText();
  assert.match(text, /default-model is uncertain; its top candidates:/);
  assert.doesNotMatch(text, /reads it as/);
  assert.deepEqual(await note.locator('.answers li .text').allInnerTexts(), ['scratch on plate', 'dent in plate']);
  assert.deepEqual(view.problems, []);
});

test("the editor's own answer for a region is marked uncertain when the host says so", async () => {
  await view.page.locator('.region[data-region="1"] .head').click();
  await view.page.getByTitle('Describe the selected region with the model (D)').first().click();
  const asked = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'describe', 15_000);
  const ranking = [{ text: 'dent in plate', cosine: 0.31, probability: 0.52 }, { text: 'scratch on plate', cosine: 0.3, probability: 0.48 }];
  await view.send({ type: 'reply', id: asked.id, ok: true, body: { region: 1, ranking, bundle: '/ext/media/default-model', ms: 5, uncertain: true } });
  const answer = view.page.locator('.region[data-region="1"] .prediction.uncertain');
  await answer.waitFor({ timeout: 15_000 });
  assert.match(await answer.innerText(), /model \(uncertain, its top candidates\):[\s\S]*dent in plate 52\.0 %[\s\S]*scratch on plate 48\.0 %/);
  assert.deepEqual(view.problems, []);
});
