// Checks made from the browser side on the workbench the extension-side tests left behind:
// what a user sees, read from the DOM.
import type { Frame, Page } from 'playwright-core';
import { FIXTURE_DATASETS } from './fixture';
import type { Check } from './harness';

const TIMEOUT = 10_000;

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
];
