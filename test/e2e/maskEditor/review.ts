// The Review view of a built dataset with the mask editor: the first disagreement opens the editor
// on its region; the model's description taken while the editor is open; a change on disk under
// unsaved edits, answered with Revert and, after a refused save, with Overwrite.
import type { Frame, Page } from 'playwright-core';
import type { Check } from '../harness';
import { runCommand, webviewFrame } from '../palette';
import { LONG, screenOf, until } from './editorPage';
import { datasetRecord, describeOnDisk } from './workspace';

export const reviewQueue: Check = {
  name: 'Review Labels lists the model\'s disagreements; the first opens the mask editor on its region',
  run: async (page, session) => {
    await runCommand(page, 'Anomaly Lens: Review Labels…');
    const view = page.locator('.part.sidebar');
    try {
      await until('the Review view to list a disagreement', async () => (await view.locator('.monaco-list-row', { hasText: 'label:' }).count()) > 0, LONG);
    } finally {
      await session.screenshot('mask-editor-review-queue');
    }
    const row = view.locator('.monaco-list-row', { hasText: 'label:' }).first();
    const answer = (await row.locator('.label-name').first().innerText()).replace(/\s*\([\d.]+ %\)\s*$/, '');
    const truth = /^label: (.*) · .* region \d+$/.exec((await row.locator('.label-description').first().innerText()).trim())?.[1];
    await row.click();
    const frame = await webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] .region.selected').count()) > 0, 60_000);
    if ((await frame.locator('.region.selected').count()) !== 1) throw new Error('the reviewed region is not selected');
    // Beside the regions, what the review found: the label and the model's answer, with a button to take it.
    const note = frame.locator('.review-note');
    await note.waitFor({ timeout: 15_000 });
    const best = await note.locator('.answers li.best .text').first().innerText();
    if (best !== answer) throw new Error(`the editor shows the model's answer "${best}", the Review view "${answer}"`);
    if (!(await note.innerText()).includes(`Labelled: ${truth}`)) throw new Error(`the editor's review note says "${await note.innerText()}", not the label "${truth}"`);
    if ((await note.locator('vscode-button.take').count()) !== 1) throw new Error("no button takes the model's answer");
    await session.screenshot('mask-editor-review');
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

export const reviewWhileOpen: Check = {
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

export const conflictAsked: Check = {
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

export const reviewKeptAcrossReload: Check = {
  name: 'The Review view lists the same disagreements after the window is reloaded',
  run: async (page, session) => {
    const view = page.locator('.part.sidebar');
    const rows = view.locator('.monaco-list-row', { hasText: 'label:' });
    const shown = async () => (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).sort();
    await until('the Review view to list a disagreement', async () => (await rows.count()) > 0, LONG);
    const before = await shown();
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await runCommand(page, 'Anomaly Lens: Focus on Review View');
    await until('the Review view to list the same disagreements', async () => JSON.stringify(await shown()) === JSON.stringify(before), LONG, async () => JSON.stringify(await shown()));
    await session.screenshot('mask-editor-review-after-reload');
  },
};
