// The mask editor on an MVTec test image: reopened with "Anomaly Lens Mask Editor", a region
// drawn, undone and redone with VS Code's keys, saved (the written mask is compared pixel by pixel
// with what the editor shows) and described by the default model; Save All of a hidden editor,
// Revert File and a mask changed on disk; a new region on a tile image of the dataset.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Check, SessionContext } from '../harness';
import { pick, runCommand, waitForText, webviewFrame } from '../palette';
import { editorFrame, imageTab, overlayIndices, overlayPixels, pickNewRegionClass, screenOf, strokeApplied, until, untilDirty } from './editorPage';
import { maskPixels, maskSize, where } from './workspace';

export const reopenWith: Check = {
  name: 'an MVTec test image reopens with "Anomaly Lens Mask Editor" and shows its ground-truth regions',
  run: async (page, session: SessionContext) => {
    where.workspace = session.workspace;
    await page.locator('.part.activitybar').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.keyboard.type(where.image, { delay: 5 });
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: where.image.split('/').pop() as string }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await imageTab(page, '.active').waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Reopen Editor With...');
    await pick(page, 'Anomaly Lens Mask Editor');
    const frame = await editorFrame(page);
    await until('the overlay to show the regions', async () => (await overlayPixels(frame)) > 0, 30_000);
    // The image under them, at their size (the workbench's own page styles apply to it too).
    const sizes = async () => ({ image: await frame.locator('.image-layer').boundingBox(), regions: await frame.locator('.overlay-layer').boundingBox() });
    await until(
      'the image to be shown under the regions, at their size',
      async () => {
        const { image, regions } = await sizes();
        return !!image && !!regions && regions.width > 0 && Math.abs(image.width - regions.width) < 1 && Math.abs(image.height - regions.height) < 1;
      },
      30_000,
      async () => JSON.stringify(await sizes()),
    );
    const regions = await frame.locator('.region').count();
    if (regions < 1) throw new Error('no region listed');
    await session.screenshot('mask-editor-opened');
  },
};

export const drawUndoRedoSave: Check = {
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
    const maskFile = join(where.workspace, where.mask);
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

export const describeRegion: Check = {
  name: 'Describe answers for the selected region with the default model',
  run: async (page, session) => {
    const frame = await editorFrame(page);
    await frame.locator('.region').first().click();
    await page.keyboard.press('d');
    await frame.locator('.region.selected .prediction .rank').first().waitFor({ timeout: 60_000 });
    await session.screenshot('mask-editor-described');
  },
};

export const hiddenSaveRevertReload: Check = {
  name: 'Save All saves an editor whose webview is hidden; Revert File restores the saved regions; a mask changed on disk is shown at once',
  run: async (page, session) => {
    let frame = await editorFrame(page);
    const maskFile = join(where.workspace, where.mask);
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

export const newRegionOnTile: Check = {
  name: 'A brush stroke with nothing selected on a tile image of the dataset offers only tile\'s classes, undoes as one step with its region, and saves with no new class',
  run: async (page, session) => {
    const dataset = join(where.workspace, 'dataset');
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
