// The "Get started with Anomaly Lens" walkthrough in a new workspace, as a new user meets it: the
// offer on first activation, the walkthrough opened from the palette, and its first steps run
// from their buttons, each ticked once its state is reached. Screenshots go to
// out/e2e/screenshots/walkthrough*.png.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Check } from './harness';
import { answer, notification, pick, quickInputRow, runCommand, waitForText, webviewFrame } from './palette';

const LONG = 120_000;
const STEPS = ['createSample', 'buildDataset', 'statistics', 'maskEditor', 'evaluate', 'train', 'describe'];

function editorPart(page: Page): Locator {
  return page.locator('.part.editor');
}

/** The step's row in the open walkthrough (its id is the extension's, the walkthrough's and the step's). */
function stepRow(page: Page, step: string): Locator {
  return editorPart(page).locator(`button.getting-started-step[data-step-id$="#${step}"]`);
}

async function ticked(page: Page, step: string): Promise<boolean> {
  return (await stepRow(page, step).getAttribute('aria-checked')) === 'true';
}

async function waitTicked(page: Page, step: string, timeout = LONG): Promise<void> {
  await stepRow(page, step).waitFor({ timeout });
  const deadline = Date.now() + timeout;
  while (!(await ticked(page, step))) {
    if (Date.now() > deadline) throw new Error(`the step ${step} was not ticked within ${timeout} ms`);
    await page.waitForTimeout(250);
  }
}

/** Shows the walkthrough's tab again (what a step opens is a tab of the same group). */
async function showWalkthrough(page: Page): Promise<void> {
  await page.locator('.tabs-container .tab', { hasText: /^Walkthrough: / }).first().click();
}

/** Opens a step of the walkthrough and clicks its button. */
async function runStep(page: Page, step: string, button: string): Promise<void> {
  const row = stepRow(page, step);
  await row.waitFor({ timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  const action = row.locator('.monaco-button', { hasText: button }).first();
  await action.waitFor({ timeout: 15_000 });
  await action.click();
}

/** Waits until the quick pick's focused row (the one Enter takes) matches. */
async function focused(page: Page, row: RegExp): Promise<void> {
  const rows = page.locator('.quick-input-widget .monaco-list-row.focused');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    if (texts.some((t) => row.test(t))) return;
    if (Date.now() > deadline) throw new Error(`no focused row matching ${row}; focused: ${texts.join(' | ') || 'none'}`);
    await page.waitForTimeout(200);
  }
}

const offered: Check = {
  name: "the first activation in an empty folder offers the walkthrough in a notification whose button opens it; the Datasets view's welcome keeps its buttons and links it",
  run: async (page) => {
    await page.locator('.part.activitybar .action-item a[aria-label^="Anomaly Lens"]').first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'View: Show Anomaly Lens');
    const welcome = page.locator('.part.sidebar .welcome-view-content');
    for (const button of ['Create Sample Dataset', 'Build Dataset']) await welcome.locator('.monaco-button', { hasText: new RegExp(`^${button}$`) }).first().waitFor({ timeout: 30_000 });
    await welcome.locator('a', { hasText: /^walkthrough$/ }).first().waitFor({ timeout: 15_000 });
    const toast = await notification(page, /new here\? The walkthrough goes from a sample dataset to a trained model/, 30_000);
    await toast.locator('.monaco-button', { hasText: /^Open Walkthrough$/ }).first().click();
    await waitForText(editorPart(page), /Get started with Anomaly Lens/, 30_000);
    await stepRow(page, 'createSample').waitFor({ timeout: 15_000 });
    await runCommand(page, 'View: Close All Editors');
    await stepRow(page, 'createSample').waitFor({ state: 'detached', timeout: 15_000 });
  },
};

const fromPalette: Check = {
  name: 'Welcome: Open Walkthrough… in the palette opens "Get started with Anomaly Lens" with its seven steps, none ticked',
  run: async (page, session) => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await pick(page, /Get started with Anomaly Lens/);
    for (const step of STEPS) {
      await stepRow(page, step).waitFor({ timeout: 30_000 });
      if (await ticked(page, step)) throw new Error(`${step} is ticked in an empty workspace`);
    }
    await session.screenshot('walkthrough-start');
  },
};

const createStep: Check = {
  name: "the Create Sample step's button asks the folder and the scale (the default marked), names each folder once, and the step ticks once the sample is written",
  run: async (page, session) => {
    await runStep(page, 'createSample', 'Create Sample Dataset');
    await answer(page, join(session.workspace, 'sample'), { asked: /folder of the sample dataset/i });
    await waitForText(page.locator('.quick-input-widget'), /size of the sample/i);
    await focused(page, /^1×.*1,500 images · default/);
    await quickInputRow(page, /^0\.1×.*150 images · a quick first look/);
    await pick(page, /^0\.1×/);
    const toast = await notification(page, /sample written to sample: 150 images/, LONG);
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    const stutter = /\b(\w+)\W+\1\b/i.exec(text);
    if (stutter) throw new Error(`the message says "${stutter[0]}": ${text}`);
    if (!/sample\/synthetic in the AnomalyDiffusion layout.*sample\/mvtec in the MVTec AD layout/.test(text)) throw new Error(`the message does not name the two folders with their layouts: ${text}`);
    await waitTicked(page, 'createSample');
  },
};

const buildStep: Check = {
  name: "the Build step's button builds the workspace's sample through Build Dataset's quick path, which shows the parameters it uses; the step ticks once the dataset is built",
  run: async (page, session) => {
    if (await ticked(page, 'buildDataset')) throw new Error('the build step is ticked before any build');
    await runStep(page, 'buildDataset', 'Build the Sample Dataset');
    for (const row of [/Sources\s*synthetic, mvtec/, /Regions\s*dbscan/, /Descriptions\s*builtin/, /Output folder\s*datasets\//]) await quickInputRow(page, row);
    await session.screenshot('walkthrough-build-parameters');
    // Clicked: the walkthrough page may have taken the keyboard focus back as it redrew.
    await pick(page, /Build\s*into datasets\//);
    const datasets = join(session.workspace, 'datasets');
    const deadline = Date.now() + LONG;
    while (!(existsSync(datasets) && readdirSync(datasets).some((d) => existsSync(join(datasets, d, 'dataset.json'))))) {
      if (Date.now() > deadline) throw new Error(`no dataset.json in ${datasets}`);
      await page.waitForTimeout(250);
    }
    await waitTicked(page, 'buildDataset');
  },
};

const statisticsStep: Check = {
  name: "the Statistics step's button shows the dataset's statistics, and the step ticks",
  run: async (page, session) => {
    await runStep(page, 'statistics', 'Show Dataset Statistics');
    await webviewFrame(page, async (frame) => /Dataset statistics/.test(await frame.locator('body').innerText()), 60_000);
    await showWalkthrough(page);
    await waitTicked(page, 'statistics', 30_000);
    for (const step of ['createSample', 'buildDataset', 'statistics']) if (!(await ticked(page, step))) throw new Error(`${step} lost its tick`);
  },
};

const maskEditorStep: Check = {
  name: "the Mask Editor step's button opens the image chosen in the mask editor, and the step ticks; the steps not done yet stay unticked",
  run: async (page, session) => {
    await runStep(page, 'maskEditor', 'Open in Mask Editor');
    const image = join(session.workspace, 'sample', 'mvtec', 'plate', 'test', 'combined', '000.png');
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input.input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    // VS Code's own file dialog: the typed path, then its OK button once it lists the image's
    // folder (it may fill in its starting folder after it shows: type again until it holds the path).
    const listed = async () => (await input.inputValue()) === image && (await widget.locator('.monaco-list-row', { hasText: '000.png' }).first().isVisible().catch(() => false));
    const deadline = Date.now() + 15_000;
    while (!(await listed())) {
      if (Date.now() > deadline) throw new Error(`the file dialog holds ${await input.inputValue()}`);
      if ((await input.inputValue()) !== image) await input.fill(image);
      await page.waitForTimeout(300);
    }
    await widget.locator('.monaco-button', { hasText: /^OK$/ }).first().click();
    await webviewFrame(page, async (frame) => (await frame.locator('canvas').count()) > 0 && /stain on plate/.test(await frame.locator('body').innerText()), 60_000);
    // For the screenshot: no notifications, and the whole width for the walkthrough (its steps
    // beside the selected step's image). The palette is used first: its Escape would take the
    // walkthrough back to the Welcome page.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 15_000 });
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 15_000 });
    await showWalkthrough(page);
    await waitTicked(page, 'maskEditor', 30_000);
    for (const step of STEPS.slice(0, 4)) if (!(await ticked(page, step))) throw new Error(`${step} lost its tick`);
    for (const step of STEPS.slice(4)) if (await ticked(page, step)) throw new Error(`${step} is ticked before it was done`);
    await session.screenshot('walkthrough');
  },
};

export const WALKTHROUGH_CHECKS: Check[] = [offered, fromPalette, createStep, buildStep, statisticsStep, maskEditorStep];
