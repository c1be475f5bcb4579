// A built dataset's split file in a real VS Code, as an engineer reads it: code lenses over the
// records, a hover with the thumbnail (a loaded image) and the model's prediction, a region's own
// hover, a wrong area found and fixed with the quick fix, Go to Definition into dataset.json, and
// a line broken by typing flagged at once.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, type Check } from './harness';
import { pick, runCommand, waitForText, webviewFrame } from './palette';

const SPLIT = 'dataset/test.jsonl';
let workspace = '';
/** The first record's line as the build wrote it (before the area was spoiled). */
let originalFirstLine = '';

/** A sample dataset built in the workspace, with the first region's area made wrong. */
export function prepareLanguageWorkspace(dir: string): void {
  workspace = dir;
  const cli = join(ROOT, 'dist', 'cli.js');
  execFileSync(process.execPath, [cli, 'sample', join(dir, 'sample'), '--scale', '0.05'], { stdio: 'ignore' });
  execFileSync(process.execPath, [cli, 'build', join(dir, 'sample', 'mvtec'), '--out', join(dir, 'dataset')], { stdio: 'ignore' });
  const file = join(dir, SPLIT);
  const lines = readFileSync(file, 'utf8').split('\n');
  originalFirstLine = lines[0];
  leastSure = leastSureRecord(dir, cli, lines.filter(Boolean));
  const record = JSON.parse(lines[0]) as { regions: { area: number }[] };
  lines[0] = lines[0].replace(`"area":${record.regions[0].area},`, `"area":${record.regions[0].area + 7},`);
  if (lines[0] === originalFirstLine) throw new Error('could not spoil the first area');
  writeFileSync(file, lines.join('\n'));
  writeLargeDataset(dir);
  // For the JSON schemas: our dataset.json with a field of the wrong type, and another tool's.
  const manifest = JSON.parse(readFileSync(join(dir, 'dataset', 'dataset.json'), 'utf8')) as Record<string, unknown>;
  mkdirSync(join(dir, 'schema-check'));
  writeFileSync(join(dir, 'schema-check', 'dataset.json'), JSON.stringify({ ...manifest, createdAt: 5 }, null, 2));
  mkdirSync(join(dir, 'other-tool'));
  writeFileSync(join(dir, 'other-tool', 'dataset.json'), JSON.stringify({ name: 'imagenet-subset', rows: 3 }, null, 2));
  // A second model for "Describe with another model…": the default's whole-image variant.
  cpSync(join(ROOT, 'media', 'default-model-whole-image'), join(dir, 'models', 'whole-image'), { recursive: true });
}

/**
 * The record of test.jsonl whose most confident region the default model is least sure of, with
 * its regions' best probabilities: `eval` ranks every region against dataset.json's descriptions,
 * as the hover does.
 */
let leastSure = { line: 0, image: '', best: [] as number[] };
function leastSureRecord(dir: string, cli: string, lines: readonly string[]): typeof leastSure {
  const report = join(dir, 'eval-report');
  execFileSync(process.execPath, [cli, 'eval', '--dataset', join(dir, 'dataset'), '--out', report, '--json'], { stdio: 'ignore' });
  const { predictions } = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')) as { predictions: { image: string; model: { probability: number }[] }[] };
  const records = lines.map((l) => (JSON.parse(l) as { image: string }).image);
  const candidates = records.map((image, line) => ({ line, image, best: predictions.filter((p) => p.image === image).map((p) => p.model[0].probability) }));
  return candidates.filter((c) => c.best.length > 0).sort((a, b) => Math.max(...a.best) - Math.max(...b.best))[0];
}

const LARGE = 'large-dataset/test.jsonl';
const LARGE_LINES = 100_000;
/** The 1-based line of the large file that is broken. */
const LARGE_BROKEN = 99_990;

/** A copy of the dataset whose test.jsonl repeats its records to 100,000 lines, one of them broken near the end. */
function writeLargeDataset(dir: string): void {
  const large = join(dir, 'large-dataset');
  cpSync(join(dir, 'dataset'), large, { recursive: true, filter: (src) => !src.endsWith('.jsonl') });
  const records = originalLines();
  const lines = Array.from({ length: LARGE_LINES }, (_, i) => records[i % records.length]);
  lines[LARGE_BROKEN - 1] = lines[LARGE_BROKEN - 1].slice(0, 40);
  writeFileSync(join(large, 'test.jsonl'), `${lines.join('\n')}\n`);
  for (const split of ['train.jsonl', 'val.jsonl']) writeFileSync(join(large, split), '');
}

function originalLines(): string[] {
  return readFileSync(join(workspace, SPLIT), 'utf8').split('\n').filter(Boolean).map((l, i) => (i === 0 ? originalFirstLine : l));
}

async function until(what: string, test: () => Promise<boolean>, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Moves the cursor to a 1-based line and column with Go to Line. */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input.input').first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(`${line}:${column}`, { delay: 5 });
  await page.keyboard.press('Enter');
}

/** The rendered text line of the editor that shows `text`. */
function viewLine(page: Page, text: string) {
  return page.locator('.editor-instance .view-lines .view-line', { hasText: text }).first();
}

const hover = (page: Page) => page.locator('.monaco-hover:visible').first();

/** Moves the mouse onto the first record's image path, from outside the editor, so a hover starts. */
async function hoverFirstRecord(page: Page): Promise<void> {
  await hoverRecord(page, 1, (JSON.parse(originalFirstLine) as { image: string }).image);
}

/** Moves the mouse onto the image path of the record on a 1-based line, from outside the editor. */
async function hoverRecord(page: Page, lineNumber: number, image: string): Promise<void> {
  // The start of the line in view (an earlier step may have scrolled the editor sideways).
  await goTo(page, lineNumber, 1);
  const line = viewLine(page, image.split('/').pop() as string);
  const boxes: { x: number; y: number; height: number }[] = [];
  await until('the first record to be on screen', async () => {
    const box = await line.boundingBox().catch(() => null);
    if (box) boxes.push(box);
    return box !== null;
  });
  const box = boxes[boxes.length - 1];
  await page.mouse.move(5, 400);
  await page.mouse.move(box.x + 30, box.y + box.height / 2, { steps: 5 });
}

/** Opens (or brings forward) a split file with Quick Open. */
async function openSplitFile(page: Page, file = SPLIT): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.keyboard.type(file, { delay: 5 });
  const [folder, name] = file.split('/');
  const row = new RegExp(`${name.replace('.', '\\.')}\\s*${folder}`);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: row }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: 15_000 });
}

/** A regular expression for `text` as the editor renders it (spaces drawn as no-break spaces). */
function renderedText(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00a0]'));
}

const openWithLenses: Check = {
  name: "test.jsonl of a built dataset opens with 'Describe · Open in Mask Editor' above its records",
  run: async (page, session) => {
    await page.locator('.part.activitybar').first().waitFor({ timeout: 60_000 });
    await openSplitFile(page);
    await page.locator('.codelens-decoration a', { hasText: 'Open in Mask Editor' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.codelens-decoration a', { hasText: 'Describe' }).first().waitFor({ timeout: 5_000 });
    await session.screenshot('language-code-lenses');
  },
};

const recordHover: Check = {
  name: 'hovering a record shows the predicted description first, on screen, then its thumbnail (a loaded image) and its regions',
  run: async (page, session) => {
    const first = JSON.parse(originalFirstLine) as { image: string; regions: unknown[] };
    await hoverFirstRecord(page);
    const shown = hover(page);
    await shown.locator('img').first().waitFor({ timeout: 30_000 });
    await until('the thumbnail to load', async () => (await shown.locator('img').first().evaluate((img) => ((img as HTMLImageElement).complete ? (img as HTMLImageElement).naturalWidth : 0))) > 0);
    const width = await shown.locator('img').first().evaluate((img) => (img as HTMLImageElement).naturalWidth);
    if (width > 256) throw new Error(`the thumbnail is ${width} px wide`);
    await waitForText(shown, new RegExp(`${first.regions.length} region`), 10_000);
    await waitForText(shown, /Predicted by the embedded default model[\s\S]*\d+(\.\d)?%/, 60_000);
    await waitForText(shown, /Open in Mask Editor/, 5_000);
    // The predictions come first, above the thumbnail, their table on screen without scrolling the hover.
    // No named function inside: tsx would wrap it in a helper the page does not have.
    const layout = await shown.evaluate((box) => {
      const predicted = Array.from(box.querySelectorAll('strong')).find((e) => e.textContent === 'Predicted');
      const img = box.querySelector('img');
      if (!predicted || !img) return { first: false, tableBottom: 0, hoverBottom: 0 };
      const table = Array.from(box.querySelectorAll('table')).find((t) => (predicted.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);
      return {
        first: (predicted.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
        tableBottom: table ? table.getBoundingClientRect().bottom : Infinity,
        hoverBottom: box.getBoundingClientRect().bottom,
      };
    });
    if (!layout.first) throw new Error('the thumbnail comes before the predictions');
    if (layout.tableBottom > layout.hoverBottom) throw new Error(`the predictions end at y=${layout.tableBottom}, below the hover's visible bottom at y=${layout.hoverBottom}`);
    await session.screenshot('language-hover');
    // Into the hover (it stays open) and down to its second part.
    const hoverBox = await shown.boundingBox();
    if (hoverBox) {
      await page.mouse.move(hoverBox.x + hoverBox.width / 2, hoverBox.y + hoverBox.height / 2, { steps: 4 });
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(300);
      await session.screenshot('language-hover-prediction');
    }
  },
};

const uncertainHover: Check = {
  name: 'with anomalyLens.uncertainBelow above the model\'s confidence, the hover marks each region uncertain and shows its top 3 instead of an answer',
  run: async (page, session) => {
    // The record the model is least sure of, and 0.99 as the threshold (above its confidence in every region of the record, else halfway to 1).
    const highest = Math.max(...leastSure.best);
    const threshold = highest < 0.99 ? 0.99 : (highest + 1) / 2;
    const settings = join(workspace, '.vscode', 'settings.json');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(settings, JSON.stringify({ 'anomalyLens.uncertainBelow': threshold }, null, 2));
    try {
      await page.keyboard.press('Escape');
      await openSplitFile(page);
      await until('the setting to reach the hover', async () => {
        await hoverRecord(page, leastSure.line + 1, leastSure.image);
        const text = await hover(page).innerText({ timeout: 30_000 }).catch(() => '');
        // The bundle's own threshold may mark some regions already: wait for every region to be.
        const marked = await hover(page).locator('tr', { hasText: 'uncertain' }).count().catch(() => 0);
        return /Predicted by the embedded default model/.test(text) && marked === leastSure.best.length;
      }, 60_000);
      const shown = hover(page);
      const rows = shown.locator('tr', { hasText: 'uncertain' });
      const count = await rows.count();
      if (count !== leastSure.best.length) throw new Error(`${count} regions marked uncertain, ${leastSure.best.length} expected`);
      const first = await rows.first().innerText();
      if (!/below \d+(\.\d)?%/.test(first) || (first.match(/\d+(\.\d)?%/g) ?? []).length < 3) throw new Error(`the uncertain row "${first}" does not show the threshold and the top candidates`);
      if (/agrees|differs/.test(first)) throw new Error(`the uncertain row "${first}" still states an answer`);
      await session.screenshot('language-hover-uncertain');
    } finally {
      writeFileSync(settings, '{}\n');
      await page.keyboard.press('Escape');
    }
  },
};

const regionHover: Check = {
  name: "a region's own hover (Show Hover inside its object) shows that region alone",
  run: async (page, session) => {
    await openSplitFile(page);
    const column = originalFirstLine.indexOf('"regions":[{') + '"regions":[{'.length + 2;
    await goTo(page, 1, column);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const shown = hover(page);
    await waitForText(shown, /region 1 of \d/, 30_000);
    await until('the enlarged thumbnail to load', async () => (await shown.locator('img').first().evaluate((img) => (img as HTMLImageElement).naturalWidth).catch(() => 0)) > 0);
    await session.screenshot('language-region-hover');
    await page.keyboard.press('Escape');
  },
};

const quickFix: Check = {
  name: 'a wrong area is flagged against its mask; the quick fix writes the mask’s area back',
  run: async (page, session) => {
    await openSplitFile(page);
    await goTo(page, 1, 1);
    await page.keyboard.press('F8');
    const marker = page.locator('.marker-widget, .zone-widget').first();
    await waitForText(marker, /area: the mask has \d+ foreground pixels/, 30_000);
    await session.screenshot('language-diagnostic-area');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget').first();
    await waitForText(menu, /Recompute the area from the mask[\s\S]*Recompute bounding box and area/, 15_000);
    await session.screenshot('language-quick-fix');
    // The preferred fix comes first and is focused.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    await until('the saved line to equal the built one', async () => readFileSync(join(workspace, SPLIT), 'utf8').split('\n')[0] === originalFirstLine);
  },
};

const definition: Check = {
  name: "Go to Definition on a region's description opens its entry in dataset.json",
  run: async (page) => {
    await openSplitFile(page);
    const column = originalFirstLine.indexOf('"description":"') + '"description":"'.length + 2;
    await goTo(page, 1, column);
    await page.keyboard.press('F12');
    await page.locator('.tabs-container .tab.active', { hasText: 'dataset.json' }).first().waitFor({ timeout: 15_000 });
    const description = (JSON.parse(originalFirstLine) as { regions: { description: string }[] }).regions[0].description;
    await waitForText(page.locator('.editor-instance .view-lines').first(), renderedText(description), 5_000);
  },
};

const brokenLine: Check = {
  name: 'a line broken by typing gets an error at once; undo clears it',
  run: async (page, session) => {
    await openSplitFile(page);
    await goTo(page, 2, 1);
    await page.keyboard.type('x');
    const squiggle = page.locator('.editor-instance .squiggly-error').first();
    await squiggle.waitFor({ timeout: 15_000 });
    await runCommand(page, 'View: Focus Problems');
    await waitForText(page.locator('.markers-panel').first(), /malformed-json\)?\s*\[Ln 2/, 15_000);
    await session.screenshot('language-broken-line');
    await page.locator('.tabs-container .tab', { hasText: 'test.jsonl' }).first().click();
    await page.keyboard.press('Control+Z');
    await until('the error to go', async () => (await page.locator('.editor-instance .squiggly-error').count()) === 0, 15_000);
  },
};

const linksAndLenses: Check = {
  name: "a mask path opens as a link; the record's lenses describe it and open it in the mask editor",
  run: async (page, session) => {
    const first = JSON.parse(originalFirstLine) as { image: string; regions: { mask: string }[] };
    await openSplitFile(page);
    await goTo(page, 1, originalFirstLine.indexOf('"mask":"') + '"mask":"'.length + 3);
    await runCommand(page, 'Open Link');
    const maskName = first.regions[0].mask.split('/').pop() as string;
    await page.locator('.tabs-container .tab.active', { hasText: maskName }).first().waitFor({ timeout: 15_000 });

    // Back by its tab: the image preview, a webview, keeps the keyboard.
    await page.locator('.tabs-container .tab', { hasText: 'test.jsonl' }).first().click();
    await page.locator('.codelens-decoration a', { hasText: 'Describe' }).first().click();
    await waitForText(hover(page), /Predicted by the embedded default model/, 30_000);
    await session.screenshot('language-lens-describe');
    await page.keyboard.press('Escape');

    await page.locator('.codelens-decoration a', { hasText: 'Open in Mask Editor' }).first().click();
    const imageName = first.image.split('/').pop() as string;
    await page.locator('.tabs-container .tab.active', { hasText: imageName }).first().waitFor({ timeout: 15_000 });
    await webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] .region').count()) === first.regions.length, 60_000);
    await session.screenshot('language-lens-mask-editor');
  },
};

const describeWith: Check = {
  name: "the hover's 'Describe with another model…' predicts with the model picked",
  run: async (page, session) => {
    await openSplitFile(page);
    await hoverFirstRecord(page);
    const link = hover(page).locator('a', { hasText: 'Describe with another model' }).first();
    await link.waitFor({ timeout: 30_000 });
    await link.click();
    await pick(page, 'whole-image');
    await waitForText(hover(page), /Predicted by whole\\?-image/, 30_000);
    await session.screenshot('language-describe-with');
    await page.keyboard.press('Escape');
  },
};

const schemas: Check = {
  name: "VS Code's JSON editor checks our dataset.json against the contributed schema, and leaves another tool's dataset.json alone",
  run: async (page, session) => {
    await openSplitFile(page, 'other-tool/dataset.json');
    await openSplitFile(page, 'schema-check/dataset.json');
    await runCommand(page, 'View: Focus Problems');
    const problems = page.locator('.markers-panel').first();
    await waitForText(problems, /Incorrect type\. Expected "string"/, 30_000);
    await session.screenshot('language-schema');
    const text = await problems.innerText();
    if (/other-tool/.test(text)) throw new Error(`another tool's dataset.json got problems: ${text}`);
  },
};

const largeFile: Check = {
  name: `a split file of ${LARGE_LINES.toLocaleString('en')} lines opens, answers a hover while it is checked, and gets the diagnostic of its broken line`,
  run: async (page, session) => {
    await runCommand(page, 'View: Close All Editors');
    const opened = Date.now();
    await openSplitFile(page, LARGE);
    // A browser workbench asks before showing a file over its size limit (desktop VS Code does not).
    const openAnyway = page.locator('.monaco-button', { hasText: 'Open Anyway' }).first();
    const line = viewLine(page, (JSON.parse(originalFirstLine) as { image: string }).image.split('/').pop() as string);
    await until('the large file to show', async () => {
      if (await openAnyway.isVisible()) await openAnyway.click();
      return line.isVisible();
    });
    await hoverFirstRecord(page);
    await hover(page).locator('img').first().waitFor({ timeout: 30_000 });
    const hovered = Date.now();
    await page.mouse.move(5, 400);
    await runCommand(page, 'View: Focus Problems');
    await waitForText(page.locator('.markers-panel').first(), new RegExp(`malformed-json\\)?\\s*\\[Ln ${LARGE_BROKEN}`), 120_000);
    console.log(`      ${LARGE_LINES} lines: hover shown ${hovered - opened} ms after opening, the broken line flagged after ${Date.now() - opened} ms`);
    await session.screenshot('language-large-file');
  },
};

export const LANGUAGE_CHECKS: Check[] = [openWithLenses, recordHover, uncertainHover, regionHover, quickFix, definition, brokenLine, linksAndLenses, describeWith, schemas, largeFile];
