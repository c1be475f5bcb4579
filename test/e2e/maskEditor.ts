// The mask editor in a real VS Code, as a curator uses it: an MVTec test image reopened with
// "Anomaly Lens Mask Editor", a region drawn, undone and redone with VS Code's keys, saved (the
// written mask is compared pixel by pixel with what the editor shows), described by the default
// model; then the Review view of a built dataset, whose first disagreement opens the editor on it,
// takes the model's description while the editor is open, and a change on disk under unsaved edits.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { ROOT, type Check, type SessionContext } from './harness';
import { pick, runCommand, waitForText, webviewFrame } from './palette';

const LONG = 120_000;
/** The test image the checks edit and its ground-truth mask, relative to the workspace (chosen in prepare). */
let image = '';
let mask = '';

/** The workspace: a small generated sample (MVTec layout) and the dataset built from it. */
export function prepareMaskEditorWorkspace(workspace: string): void {
  const cli = join(ROOT, 'dist', 'cli.js');
  execFileSync(process.execPath, [cli, 'sample', join(workspace, 'sample'), '--scale', '0.05'], { stdio: 'ignore' });
  execFileSync(process.execPath, [cli, 'build', join(workspace, 'sample', 'mvtec'), '--out', join(workspace, 'dataset')], { stdio: 'ignore' });
  mislabelOneRegion(join(workspace, 'dataset'));
  // The first test image of a single defect with its mask (not a class-id "combined" one).
  const mvtec = join(workspace, 'sample', 'mvtec');
  for (const object of readdirSync(mvtec).sort()) {
    const test = join(mvtec, object, 'test');
    if (!existsSync(test)) continue;
    for (const defect of readdirSync(test).sort()) {
      if (defect === 'good' || defect === 'combined') continue;
      const first = readdirSync(join(test, defect)).sort()[0];
      const stem = first?.replace(/\.png$/, '');
      if (stem && existsSync(join(mvtec, object, 'ground_truth', defect, `${stem}_mask.png`))) {
        image = join('sample', 'mvtec', object, 'test', defect, first);
        mask = join('sample', 'mvtec', object, 'ground_truth', defect, `${stem}_mask.png`);
        return;
      }
    }
  }
  throw new Error('the sample has no MVTec test image with a mask');
}

/**
 * A curator's mistake for the review queue to find: one region of the built dataset gets another
 * class of its object (with that class's description), so the dataset stays valid but the label is wrong.
 */
function mislabelOneRegion(dataset: string): void {
  const manifest = JSON.parse(readFileSync(join(dataset, 'dataset.json'), 'utf8')) as { descriptions: { object: string; defect: string; text: string }[] };
  const lines = readFileSync(join(dataset, 'test.jsonl'), 'utf8').split('\n').filter(Boolean);
  const records = lines.map((l) => JSON.parse(l) as { object: string; regions: { defect: string; description: string }[] });
  for (const record of records) {
    const other = manifest.descriptions.find((d) => d.object === record.object && d.defect !== record.regions[0].defect);
    if (!other) continue;
    record.regions[0] = { ...record.regions[0], defect: other.defect, description: other.text };
    writeFileSync(join(dataset, 'test.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return;
  }
  throw new Error('no object of the sample has two classes');
}

async function editorFrame(page: Page): Promise<Frame> {
  return webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] .overlay-layer').count()) > 0, 60_000);
}

/** Overlay pixels showing a region. */
function overlayPixels(frame: Frame): Promise<number> {
  return frame.evaluate(`(() => {
    const c = document.querySelector('.overlay-layer');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  })()`) as Promise<number>;
}

/** The overlay's region pixels as indices. */
function overlayIndices(frame: Frame): Promise<number[]> {
  return frame.evaluate(`(() => {
    const c = document.querySelector('.overlay-layer');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const out = [];
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) out.push((i - 3) / 4);
    return out;
  })()`) as Promise<number[]>;
}

/** Polls `test` until it holds (a cap, not a pause: it returns as soon as the state is there); `state` says what was seen instead. */
async function until(what: string, test: () => Promise<boolean>, timeout = 30_000, state?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}${state ? ` (${await state().catch((e: Error) => e.message)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Screen point of image pixel (x, y) in the editor's canvas. */
async function screenOf(frame: Frame, x: number, y: number): Promise<{ x: number; y: number }> {
  const canvas = frame.locator('.overlay-layer');
  const box = await canvas.boundingBox();
  const width = (await frame.evaluate("document.querySelector('.overlay-layer').width")) as number;
  if (!box) throw new Error('the editor canvas is not visible');
  const scale = box.width / width;
  return { x: box.x + (x + 0.5) * scale, y: box.y + (y + 0.5) * scale };
}

/**
 * The selected region has pixels in the webview's model: the host applied the stroke (the overlay
 * shows a stroke at once, before the host has it; an undo before then would undo the step before).
 */
async function strokeApplied(frame: Frame): Promise<void> {
  await until('the host to apply the stroke', async () => {
    const text = await frame.locator('.region.selected .head').first().innerText().catch(() => '');
    return /\d+ px at/.test(text);
  });
}

/** The tab of the edited image; `.dirty` or `.active` narrow it to that state. */
function imageTab(page: Page, state = ''): Locator {
  return page.locator(`.tabs-container .tab${state}`, { hasText: image.split('/').pop() as string }).first();
}

/** Waits until the image's tab shows the document as unsaved (true) or saved (false). */
async function untilDirty(page: Page, dirty: boolean, what: string): Promise<void> {
  await until(what, async () => (await imageTab(page, '.dirty').count()) > 0 === dirty);
}

let sessionWorkspace = '';

const reopenWith: Check = {
  name: 'an MVTec test image reopens with "Anomaly Lens Mask Editor" and shows its ground-truth regions',
  run: async (page, session: SessionContext) => {
    sessionWorkspace = session.workspace;
    await page.locator('.part.activitybar').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.keyboard.type(image, { delay: 5 });
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: image.split('/').pop() as string }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await imageTab(page, '.active').waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Reopen Editor With...');
    await pick(page, 'Anomaly Lens Mask Editor');
    const frame = await editorFrame(page);
    await until('the overlay to show the regions', async () => (await overlayPixels(frame)) > 0, 30_000);
    const regions = await frame.locator('.region').count();
    if (regions < 1) throw new Error('no region listed');
    await session.screenshot('mask-editor-opened');
  },
};

const drawUndoRedoSave: Check = {
  name: 'a drawn region is one undo step for VS Code; Save writes exactly the regions the editor shows',
  run: async (page, session) => {
    const frame = await editorFrame(page);
    const before = await overlayPixels(frame);
    const width = (await frame.evaluate("document.querySelector('.overlay-layer').width")) as number;
    // Focus the webview without drawing: a click on the list of files, not on the image.
    await frame.locator('.files').click();
    await page.keyboard.press('n');
    await page.keyboard.press('b');
    const a = await screenOf(frame, Math.round(width * 0.1), Math.round(width * 0.1));
    const b = await screenOf(frame, Math.round(width * 0.3), Math.round(width * 0.12));
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(a.x + ((b.x - a.x) * k) / 10, a.y + ((b.y - a.y) * k) / 10);
    await page.mouse.up();
    const regions = await frame.locator('.region').count();
    await pickNewRegionClass(page);
    await strokeApplied(frame);
    const drawn = await overlayPixels(frame);
    await waitForText(page.locator('.tabs-container'), /●|000\.png/);

    await page.keyboard.press('Control+Z');
    await until('undo to remove the stroke and its region', async () => (await overlayPixels(frame)) === before && (await frame.locator('.region').count()) === regions);
    await page.keyboard.press('Control+Shift+Z');
    await until('redo to bring it back', async () => (await overlayPixels(frame)) === drawn && (await frame.locator('.region').count()) === regions + 1);

    await page.keyboard.press('Control+S');
    const maskFile = join(sessionWorkspace, mask);
    let saved: number[] = [];
    await until('the mask file to hold the drawn region', async () => {
      const { data, info } = await sharp(maskFile).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      saved = [];
      for (let i = 0; i < info.width * info.height; i++) if (data[i] !== 0) saved.push(i);
      return saved.length === drawn;
    });
    const shown = await overlayIndices(frame);
    if (JSON.stringify(shown) !== JSON.stringify(saved)) throw new Error(`the saved mask (${saved.length} px) differs from the editor's regions (${shown.length} px)`);
    await session.screenshot('mask-editor-drawn');
  },
};

const describeRegion: Check = {
  name: 'Describe answers for the selected region with the default model',
  run: async (page, session) => {
    const frame = await editorFrame(page);
    await frame.locator('.region').first().click();
    await page.keyboard.press('d');
    await frame.locator('.region.selected .prediction .rank').first().waitFor({ timeout: 60_000 });
    await session.screenshot('mask-editor-described');
  },
};

const reviewQueue: Check = {
  name: 'Review Labels lists the model\'s disagreements; the first opens the mask editor on its region',
  run: async (page, session) => {
    await runCommand(page, 'Anomaly Lens: Review Labels…');
    const view = page.locator('.part.sidebar');
    try {
      await until('the Review view to list a disagreement', async () => (await view.locator('.monaco-list-row', { hasText: 'label:' }).count()) > 0, LONG);
    } finally {
      await session.screenshot('mask-editor-review-queue');
    }
    await view.locator('.monaco-list-row', { hasText: 'label:' }).first().click();
    const frame = await webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] .region.selected').count()) > 0, 60_000);
    if ((await frame.locator('.region.selected').count()) !== 1) throw new Error('the reviewed region is not selected');
    await session.screenshot('mask-editor-review');
  },
};

const hiddenSaveRevertReload: Check = {
  name: 'Save All saves an editor whose webview is hidden; Revert File restores the saved regions; a mask changed on disk is shown at once',
  run: async (page, session) => {
    let frame = await editorFrame(page);
    const maskFile = join(sessionWorkspace, mask);
    const savedBefore = await maskPixels(maskFile);
    await frame.locator('.files').click();
    const width = (await frame.evaluate("document.querySelector('.overlay-layer').width")) as number;
    const a = await screenOf(frame, Math.round(width * 0.1), Math.round(width * 0.1));
    const b = await screenOf(frame, Math.round(width * 0.3), Math.round(width * 0.12));
    // Select the region drawn before (the eraser works on the selected region), then erase along it.
    await page.keyboard.press('v');
    await page.mouse.click(a.x, a.y);
    await page.keyboard.press('e');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(a.x + ((b.x - a.x) * k) / 10, a.y + ((b.y - a.y) * k) / 10);
    await page.mouse.up();
    await until('the eraser to remove pixels', async () => (await overlayPixels(frame)) < savedBefore.length);
    // The host has the edit once the document is dirty (the webview shows the stroke before that).
    await untilDirty(page, true, 'the erased region to make the document unsaved');
    const erased = await overlayPixels(frame);

    // Another editor in front: the mask editor's webview goes away; Save All still saves it.
    await page.keyboard.press('Control+P');
    await page.keyboard.type('sample.json', { delay: 5 });
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'sample.json' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await runCommand(page, 'File: Save All');
    await until('the hidden editor to be saved', async () => (await maskPixels(maskFile)).length === erased && (await imageTab(page, '.dirty').count()) === 0);

    // Back to it, draw, then revert: the saved regions come back, and the file keeps them.
    await imageTab(page).click();
    frame = await editorFrame(page);
    await frame.locator('.files').click();
    await page.keyboard.press('n');
    await page.keyboard.press('b');
    // The webview is a new one: its layout, not the hidden one's, places the stroke.
    const c = await screenOf(frame, Math.round(width * 0.1), Math.round(width * 0.4));
    const d = await screenOf(frame, Math.round(width * 0.3), Math.round(width * 0.42));
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    await page.mouse.move(d.x, d.y, { steps: 8 });
    await page.mouse.up();
    await strokeApplied(frame);
    await untilDirty(page, true, 'the stroke to make the document unsaved');
    await runCommand(page, 'File: Revert File');
    await until(
      'revert to restore the saved regions',
      async () => (await overlayPixels(frame)) === erased && (await imageTab(page, '.dirty').count()) === 0,
      30_000,
      async () => `the editor shows ${await overlayPixels(frame)} px, ${erased} were saved; the mask file holds ${(await maskPixels(maskFile)).length} px; the document is ${(await imageTab(page, '.dirty').count()) ? 'unsaved' : 'saved'}`,
    );
    const kept = (await maskPixels(maskFile)).length;
    if (kept !== erased) throw new Error(`the mask file holds ${kept} px after Revert, not the ${erased} px saved before the stroke`);

    // Someone else writes the mask: the editor, with no unsaved edit, shows it at once.
    await sharp(Buffer.alloc((await maskSize(maskFile)).pixels), { raw: { width: (await maskSize(maskFile)).width, height: (await maskSize(maskFile)).height, channels: 1 } }).png().toFile(maskFile);
    await until('the reloaded (empty) mask', async () => (await overlayPixels(frame)) === 0);
    await session.screenshot('mask-editor-reloaded');
  },
};

/** The region the Review view's first row names: its record, its id in the editor, its label and the model's answer. */
interface Reviewed {
  record: string;
  id: number;
  truth: string;
  answer: string;
}

let reviewed: Reviewed | undefined;

/** A record of the built dataset's test.jsonl as it is on disk now. */
function datasetRecord(record: string): { regions: { description: string; area: number }[] } {
  const file = join(sessionWorkspace, 'dataset', 'test.jsonl');
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.trim() !== '' && (JSON.parse(l) as { image: string }).image === record);
  if (!line) throw new Error(`${file} has no record of ${record}`);
  return JSON.parse(line) as { regions: { description: string; area: number }[] };
}

/** Another program gives the record's region another description in test.jsonl (temp file + rename, as editors save). */
function describeOnDisk(record: string, id: number, description: string): void {
  const file = join(sessionWorkspace, 'dataset', 'test.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n').map((l) => {
    if (l.trim() === '') return l;
    const r = JSON.parse(l) as { image: string; regions: { description: string }[] };
    if (r.image !== record) return l;
    r.regions[id - 1].description = description;
    return JSON.stringify(r);
  });
  writeFileSync(`${file}.tmp`, lines.join('\n'));
  renameSync(`${file}.tmp`, file);
}

/** The dataset image's tab shows its document unsaved (true) or saved (false). */
async function datasetTabDirty(page: Page, record: string): Promise<boolean> {
  return (await page.locator('.tabs-container .tab.dirty', { hasText: record.split('/').pop() as string }).count()) > 0;
}

/** The label the editor shows for a region. */
function shownLabel(frame: Frame, id: number): Promise<string> {
  return frame.locator(`.region[data-region="${id}"] .truth`).first().innerText().catch(() => '');
}

/** Paints with the brush into region `id` (selected from the list) along a short stroke at height `fy` of the image; waits until the document is unsaved. */
async function paintInto(page: Page, frame: Frame, r: Reviewed, fy: number): Promise<void> {
  await frame.locator(`.region[data-region="${r.id}"] .head`).first().click();
  await page.keyboard.press('b');
  const width = (await frame.evaluate("document.querySelector('.overlay-layer').width")) as number;
  const a = await screenOf(frame, Math.round(width * 0.05), Math.round(width * fy));
  const b = await screenOf(frame, Math.round(width * 0.25), Math.round(width * (fy + 0.02)));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
  await until('the stroke to make the document unsaved', () => datasetTabDirty(page, r.record));
}

const reviewWhileOpen: Check = {
  name: 'Take the Model\'s Description with the image open in the mask editor: the editor shows the new label at once, its next save keeps it, and the region does not come back to the queue',
  run: async (page, session) => {
    const view = page.locator('.part.sidebar');
    const row = view.locator('.monaco-list-row', { hasText: 'label:' }).first();
    const answer = (await row.locator('.label-name').first().innerText()).replace(/\s*\([\d.]+ %\)\s*$/, '');
    const description = await row.locator('.label-description').first().innerText();
    const named = /^label: (.*) · (.*) region (\d+)$/.exec(description.trim());
    if (!named) throw new Error(`the Review row says "${description}"`);
    const r: Reviewed = { truth: named[1], record: named[2], id: Number(named[3]), answer };
    reviewed = r;
    const frame = await webviewFrame(page, async (f) => (await f.locator(`body[data-ready="true"] .region[data-region="${r.id}"]`).count()) > 0, 60_000);
    if ((await shownLabel(frame, r.id)) !== r.truth) throw new Error(`the editor shows "${await shownLabel(frame, r.id)}" for region ${r.id}, the Review view "${r.truth}"`);

    await row.hover();
    await row.locator('.action-label[aria-label="Take the Model\'s Description"]').first().click();
    await until(`the editor to show "${r.answer}" for region ${r.id}`, async () => (await shownLabel(frame, r.id)) === r.answer, 30_000, async () => `it shows "${await shownLabel(frame, r.id)}"`);
    if (await datasetTabDirty(page, r.record)) throw new Error('the reloaded editor shows unsaved edits');
    await until('the row to leave the Review view', async () => (await view.locator('.monaco-list-row', { hasText: `${r.record} region ${r.id}` }).count()) === 0);
    await session.screenshot('mask-editor-review-relabelled');

    // The editor's next save writes the new label, not the one it had before.
    const before = datasetRecord(r.record).regions[r.id - 1];
    await paintInto(page, frame, r, 0.05);
    await page.keyboard.press('Control+S');
    await until('the save', async () => !(await datasetTabDirty(page, r.record)) && datasetRecord(r.record).regions[r.id - 1].area > before.area);
    const saved = datasetRecord(r.record).regions[r.id - 1].description;
    if (saved !== r.answer) throw new Error(`the save wrote "${saved}" for region ${r.id}, not the model's "${r.answer}"`);

    // Reviewed again, the region is not in the queue.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Anomaly Lens: Review Labels…');
    await page.locator('.notification-toast', { hasText: /disagrees with \d+ of/ }).first().waitFor({ timeout: LONG });
    if ((await view.locator('.monaco-list-row', { hasText: `label: ${r.truth} · ${r.record} region ${r.id}` }).count()) > 0) throw new Error('the region came back to the queue with its old label');
  },
};

const conflictAsked: Check = {
  name: 'A change on disk under unsaved edits asks: Revert takes the regions on disk; a save refused as stale asks again, and Overwrite saves over them',
  run: async (page, session) => {
    const r = reviewed;
    if (!r) throw new Error('no reviewed region (the check before failed)');
    await page.locator('.tabs-container .tab', { hasText: r.record.split('/').pop() as string }).first().click();
    const frame = await webviewFrame(page, async (f) => (await f.locator(`body[data-ready="true"] .region[data-region="${r.id}"]`).count()) > 0, 60_000);
    const area = datasetRecord(r.record).regions[r.id - 1].area;

    // Unsaved edits, and another program relabels the region: the editor asks; Revert takes its label.
    await paintInto(page, frame, r, 0.1);
    describeOnDisk(r.record, r.id, r.truth);
    let toast = page.locator('.notification-toast', { hasText: /changed on disk/ }).first();
    await toast.waitFor({ timeout: 30_000 });
    await session.screenshot('mask-editor-conflict-asked');
    await toast.locator('.monaco-button', { hasText: 'Revert' }).first().click();
    await until('Revert to show the label on disk, saved', async () => (await shownLabel(frame, r.id)) === r.truth && !(await datasetTabDirty(page, r.record)), 30_000, async () => `it shows "${await shownLabel(frame, r.id)}"`);

    // Unsaved edits again, another change on disk, the question closed unanswered: the save is refused and asks; Overwrite writes the editor's regions.
    await paintInto(page, frame, r, 0.15);
    describeOnDisk(r.record, r.id, r.answer);
    toast = page.locator('.notification-toast', { hasText: /changed on disk/ }).first();
    await toast.waitFor({ timeout: 30_000 });
    await toast.hover();
    await toast.locator('.codicon-notifications-clear').first().click();
    await toast.waitFor({ state: 'detached', timeout: 15_000 });
    await page.keyboard.press('Control+S');
    toast = page.locator('.notification-toast', { hasText: /Failed to save/ }).first();
    await toast.waitFor({ timeout: 30_000 });
    await toast.locator('.monaco-button', { hasText: 'Overwrite' }).first().click();
    await until('Overwrite to save the editor\'s regions', async () => !(await datasetTabDirty(page, r.record)) && datasetRecord(r.record).regions[r.id - 1].area > area);
    const saved = datasetRecord(r.record).regions[r.id - 1].description;
    if (saved !== r.truth) throw new Error(`Overwrite wrote "${saved}" for region ${r.id}, not the editor's "${r.truth}"`);
  },
};

/**
 * A stroke with no region selected asks for the new region's class the first time on an object:
 * picks the first row and returns the rows offered.
 */
async function pickNewRegionClass(page: Page): Promise<string[]> {
  const widget = page.locator('.quick-input-widget', { hasText: "The new region's class" }).first();
  const rows = widget.locator('.monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
  // A row's first label is its item's (a reused row may keep a hidden separator's label after it).
  const offered = await rows.evaluateAll((list) => list.map((row) => (row.querySelector('.label-name')?.textContent ?? '').trim()));
  await rows.first().click();
  return offered;
}

const newRegionOnTile: Check = {
  name: 'A brush stroke with nothing selected on a tile image of the dataset offers only tile\'s classes, undoes as one step with its region, and saves with no new class',
  run: async (page, session) => {
    const dataset = join(sessionWorkspace, 'dataset');
    const manifest = readFileSync(join(dataset, 'dataset.json'), 'utf8');
    const tile = (JSON.parse(manifest) as { descriptions: { object: string; text: string }[] }).descriptions.filter((d) => d.object === 'tile').map((d) => d.text);
    const records = () => readFileSync(join(dataset, 'test.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { image: string; object: string; regions: { description: string }[] });
    const record = records().filter((r) => r.object === 'tile').pop();
    if (!record || tile.length === 0) throw new Error('the built sample has no tile image');
    const name = record.image.split('/').pop() as string;

    await runCommand(page, 'View: Close All Editors');
    await page.keyboard.press('Control+P');
    await page.keyboard.type(join('dataset', record.image), { delay: 5 });
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Reopen Editor With...');
    await pick(page, 'Anomaly Lens Mask Editor');
    const frame = await webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] .overlay-layer').count()) > 0, 60_000);
    const regions = await frame.locator('.region').count();
    if ((await frame.locator('.region.selected').count()) !== 0) throw new Error('a region is selected on opening');

    await frame.locator('.files').click();
    await page.keyboard.press('b');
    const width = (await frame.evaluate("document.querySelector('.overlay-layer').width")) as number;
    const a = await screenOf(frame, Math.round(width * 0.05), Math.round(width * 0.85));
    const b = await screenOf(frame, Math.round(width * 0.25), Math.round(width * 0.87));
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 8 });
    await page.mouse.up();
    const offered = await pickNewRegionClass(page);
    const classes = offered.filter((o) => !/New class/.test(o));
    if (classes.length === 0 || classes.some((o) => !tile.includes(o))) throw new Error(`the new region's classes offered are ${JSON.stringify(offered)}, not tile's ${JSON.stringify(tile)}`);
    await until('the new region with a tile class', async () => (await frame.locator('.region').count()) === regions + 1 && tile.includes(await frame.locator('.region.selected .truth').first().innerText().catch(() => '')));
    const label = await frame.locator('.region.selected .truth').first().innerText();
    await session.screenshot('mask-editor-new-region-class');

    await page.keyboard.press('Control+Z');
    await until('one undo to remove the new region, not leave it empty', async () => (await frame.locator('.region').count()) === regions && (await frame.locator('.region .facts', { hasText: 'empty' }).count()) === 0);
    await page.keyboard.press('Control+Shift+Z');
    await until('redo to bring the region back', async () => (await frame.locator('.region').count()) === regions + 1);

    await page.keyboard.press('Control+S');
    await until('the save to write the record', async () => (records().find((r) => r.image === record.image)?.regions.length ?? 0) === record.regions.length + 1);
    const saved = records().find((r) => r.image === record.image)?.regions.map((r) => r.description) ?? [];
    if (!saved.includes(label) || saved.some((d) => !tile.includes(d))) throw new Error(`the saved record's regions are ${JSON.stringify(saved)}`);
    const after = JSON.parse(readFileSync(join(dataset, 'dataset.json'), 'utf8')) as { descriptions: unknown[] };
    if (JSON.stringify(after.descriptions) !== JSON.stringify((JSON.parse(manifest) as { descriptions: unknown[] }).descriptions)) throw new Error('the save changed the classes of dataset.json');
  },
};

async function maskSize(file: string): Promise<{ width: number; height: number; pixels: number }> {
  const meta = await sharp(file).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0, pixels: (meta.width ?? 0) * (meta.height ?? 0) };
}

async function maskPixels(file: string): Promise<number[]> {
  const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const out: number[] = [];
  for (let i = 0; i < info.width * info.height; i++) if (data[i] !== 0) out.push(i);
  return out;
}

export const MASK_EDITOR_CHECKS: Check[] = [reopenWith, drawUndoRedoSave, describeRegion, hiddenSaveRevertReload, reviewQueue, reviewWhileOpen, conflictAsked, newRegionOnTile];
