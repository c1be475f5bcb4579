// Checks made from the browser side on the workbench the extension-side tests left behind:
// what a user sees, read from the DOM.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { FIXTURE_DATASETS } from './fixture';
import type { Check } from './harness';
import { pick, runCommand, webviewFrame } from './palette';
import { EXPORT_DATASET_CHECK } from './exportDataset';

const TIMEOUT = 10_000;

/** The first record of the dataset the extension-side tests built from the MVTec sample (datasets/built). */
function builtRecord(workspace: string): { path: string; name: string; regions: number } {
  const line = readFileSync(join(workspace, 'datasets', 'built', 'test.jsonl'), 'utf8').split('\n').find((l) => l.trim() !== '');
  if (!line) throw new Error('datasets/built/test.jsonl has no record');
  const record = JSON.parse(line) as { image: string; regions: unknown[] };
  return { path: join('datasets', 'built', record.image), name: record.image.split('/').pop() as string, regions: record.regions.length };
}

/** Opens a workspace file with Quick Open, as a person does: an image opens in VS Code's image preview. */
async function quickOpen(page: Page, path: string, name: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.keyboard.type(path, { delay: 5 });
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: 30_000 });
}

async function findFrame(page: Page, predicate: (frame: Frame) => Promise<boolean>): Promise<Frame> {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await predicate(frame).catch(() => false)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('no matching frame');
}

export const WORKBENCH_CHECKS: Check[] = [
  {
    name: 'the activity bar has an "Anomaly Lens" item',
    run: async (page) => {
      await page.locator('.part.activitybar .action-item a[aria-label^="Anomaly Lens"]').first().waitFor({ timeout: TIMEOUT });
    },
  },
  {
    name: 'the side bar shows the Datasets view with the fixture datasets',
    run: async (page) => {
      const sidebar = page.locator('.part.sidebar');
      // With one view in the container, its name is part of the side bar's title.
      await sidebar.locator('.composite.title, .pane-header', { hasText: /datasets/i }).first().waitFor({ timeout: TIMEOUT });
      for (const dataset of FIXTURE_DATASETS) {
        await sidebar.locator('.monaco-list-row', { hasText: dataset.folder }).first().waitFor({ timeout: TIMEOUT });
      }
    },
  },
  {
    name: "the Markdown preview shows the builder's stats.md",
    run: async (page) => {
      // The last extension-side test opens the stats.md that `anomaly-lens build` wrote.
      const heading = 'Dataset statistics';
      await findFrame(page, async (frame) => (await frame.locator('h1', { hasText: heading }).count()) > 0);
    },
  },
  {
    name: "Show Dataset Statistics from the palette, for a dataset without stats.md, shows dataset.json's counts and then the split files' tables",
    run: async (page, session) => {
      const screws = FIXTURE_DATASETS[0].folder;
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Anomaly Lens: Show Dataset Statistics');
      await pick(page, new RegExp(`^${screws}`), { filter: screws });
      const frame = await findFrame(page, async (f) => (await f.locator('h1', { hasText: `Dataset statistics: ${screws}` }).count()) > 0);
      await frame.locator('h2', { hasText: 'Splits (dataset.json)' }).first().waitFor({ timeout: TIMEOUT });
      await frame.locator('h2', { hasText: 'Images per object' }).first().waitFor({ timeout: 30_000 });
      await frame.locator('p', { hasText: 'Computing the tables' }).first().waitFor({ state: 'detached', timeout: TIMEOUT });
      await session.screenshot('workspace-statistics');
    },
  },
  {
    name: 'Open in Mask Editor from the palette, with an image in the image preview, opens that image at once',
    run: async (page, session) => {
      const record = builtRecord(session.workspace);
      await runCommand(page, 'View: Close All Editors');
      await quickOpen(page, record.path, record.name);
      await runCommand(page, 'Anomaly Lens: Open in Mask Editor');
      const frame = await webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] .overlay-layer').count()) > 0, 60_000);
      const regions = await frame.locator('.region').count();
      if (regions !== record.regions) throw new Error(`the mask editor shows ${regions} regions, the record has ${record.regions}`);
      if (await page.locator('.quick-input-widget').isVisible()) throw new Error('a file was asked for');
      // Reopened in the mask editor, as Reopen Editor With does: the preview's tab is gone.
      const tabs = page.locator('.tabs-container .tab', { hasText: record.name });
      const deadline = Date.now() + TIMEOUT;
      while ((await tabs.count()) !== 1) {
        if (Date.now() > deadline) throw new Error(`${await tabs.count()} tabs show ${record.name}`);
        await page.waitForTimeout(200);
      }
      await session.screenshot('workspace-open-in-mask-editor-from-preview');
    },
  },
  {
    name: "Describe Region from the palette, with an image in the image preview, shows the image with its regions numbered beside their answers, and stays open",
    run: async (page, session) => {
      const record = builtRecord(session.workspace);
      await runCommand(page, 'View: Close All Editors');
      await quickOpen(page, record.path, record.name);
      await runCommand(page, 'Anomaly Lens: Describe Region');
      const frame = await webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] section.region').count()) > 0, 120_000);
      const cards = frame.locator('section.region');
      if ((await cards.count()) !== record.regions) throw new Error(`the result lists ${await cards.count()} regions, the record has ${record.regions}`);
      const numbers = await cards.locator('.swatch').allInnerTexts();
      if (numbers.join(',') !== Array.from({ length: record.regions }, (_, i) => String(i + 1)).join(',')) throw new Error(`the regions are numbered ${numbers.join(', ')}`);
      if ((await cards.first().locator('li.answer').count()) === 0) throw new Error('region 1 has no answers');
      await frame.waitForFunction(() => ((document.querySelector('figure.picture img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, undefined, { timeout: TIMEOUT });
      await session.screenshot('workspace-describe-region-result');
      // It stays open while the user goes on elsewhere.
      await page.locator('.tabs-container .tab', { hasText: record.name }).first().click();
      await runCommand(page, 'View: Show Explorer');
      await page.keyboard.press('Escape');
      if ((await page.locator('.tabs-container .tab', { hasText: `Describe: ${record.name}` }).count()) !== 1) throw new Error('the result closed');
    },
  },
  EXPORT_DATASET_CHECK,
];
