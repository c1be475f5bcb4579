// The built Describe Region panel (dist/webviews/describe.js) in Chromium under the host's CSP, fed
// what the panel's host sends for a real result: an MVTec image of the shared sample with its
// mask split into regions, described by the embedded default model through the child server.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeView } from '../../../extension/describe/describeView';
import { DescribeRegionsRequest } from '../../../server/rpc/protocol';
import type { DescribeView } from '../../../webviews/describe/messages';
import { ensureBuilt, newClient } from '../rpc/fixtures';
import { DARK_THEME, ROOT, closeBrowser, openWebview } from './webviewPage';

const SAMPLE = join(ROOT, '..', 'shared', 'data', 'mvtec-sample', 'tire');
let view: DescribeView;

before(ensureBuilt);
after(closeBrowser);

test('the image with its regions outlined and numbered, each region beside its answers; drawn again from its state after a reload', { timeout: 120_000 }, async (t) => {
  const client = newClient(t);
  const result = await client.request(DescribeRegionsRequest, {
    image: join(SAMPLE, 'test', 'combined', '000.png'),
    regionOf: { mask: join(SAMPLE, 'ground_truth', 'combined', '000_mask.png') },
    topK: 3,
    picture: {},
  });
  assert.ok(result.regions.length >= 2, `${result.regions.length} regions`);
  view = describeView(result, 'the embedded default model');

  const page = await openWebview('describe', { width: 1100, height: 800, theme: DARK_THEME });
  try {
    const ready = await page.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'ready', 15_000);
    await page.send({ type: 'reply', id: ready.id, ok: true, body: view });
    await page.page.waitForSelector('body[data-ready="true"]');
    const img = page.page.locator('figure.picture img');
    await page.page.waitForFunction(() => (document.querySelector('figure.picture img') as HTMLImageElement | null)?.naturalWidth);
    assert.equal(await img.evaluate((i) => (i as HTMLImageElement).naturalWidth), result.picture?.width);
    const cards = page.page.locator('section.region');
    assert.equal(await cards.count(), result.regions.length);
    for (let i = 0; i < result.regions.length; i++) {
      const card = cards.nth(i);
      assert.equal(await card.locator('.swatch').innerText(), String(i + 1));
      assert.deepEqual(await card.locator('li.answer .text').allInnerTexts(), result.regions[i].ranking.map((r) => r.text));
      // Below the model's calibrated threshold the card says it is uncertain instead of stating its best answer.
      assert.equal(await card.locator('div.uncertain').count(), result.regions[i].uncertain ? 1 : 0);
      assert.equal(await card.locator('li.answer.best').count(), result.regions[i].uncertain ? 0 : 1);
    }
    assert.ok(result.regions.some((r) => r.uncertain), 'the default model is unsure of a tire it never saw');
    // Image and answers side by side.
    const picture = await page.page.locator('figure.picture').boundingBox();
    const first = await cards.first().boundingBox();
    assert.ok(picture && first && first.x >= picture.x + picture.width, 'the answers beside the image');
    await page.screenshot('describe-result');

    await cards.nth(1).dblclick();
    const open = await page.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'openInMaskEditor', 15_000);
    assert.deepEqual(open.body, { kind: 'openInMaskEditor', region: 2 });

    // Shown again (a hidden tab's webview is reloaded), it draws itself from its state at once.
    await page.reload();
    await page.page.waitForSelector('body[data-ready="true"] section.region');
    assert.equal(await page.page.locator('section.region').count(), result.regions.length);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
  }
});
