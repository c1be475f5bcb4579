// The mask editor as the checks see it in the workbench: its webview frame, the overlay's pixels,
// screen points of image pixels, the edited image's tab, and waiting for a state.
import type { Frame, Locator, Page } from 'playwright-core';
import { webviewFrame } from '../palette';
import { where } from './workspace';

export const LONG = 120_000;

export async function editorFrame(page: Page): Promise<Frame> {
  return webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] .overlay-layer').count()) > 0, 60_000);
}

/** Overlay pixels showing a region. */
export function overlayPixels(frame: Frame): Promise<number> {
  return frame.evaluate(`(() => {
    const c = document.querySelector('.overlay-layer');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  })()`) as Promise<number>;
}

/** The overlay's region pixels as indices. */
export function overlayIndices(frame: Frame): Promise<number[]> {
  return frame.evaluate(`(() => {
    const c = document.querySelector('.overlay-layer');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const out = [];
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) out.push((i - 3) / 4);
    return out;
  })()`) as Promise<number[]>;
}

/** Polls `test` until it holds (a cap, not a pause: it returns as soon as the state is there); `state` says what was seen instead. */
export async function until(what: string, test: () => Promise<boolean>, timeout = 30_000, state?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}${state ? ` (${await state().catch((e: Error) => e.message)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Screen point of image pixel (x, y) in the editor's canvas. */
export async function screenOf(frame: Frame, x: number, y: number): Promise<{ x: number; y: number }> {
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
export async function strokeApplied(frame: Frame): Promise<void> {
  await until('the host to apply the stroke', async () => {
    const text = await frame.locator('.region.selected .head').first().innerText().catch(() => '');
    return /\d+ px at/.test(text);
  });
}

/** The tab of the edited image; `.dirty` or `.active` narrow it to that state. */
export function imageTab(page: Page, state = ''): Locator {
  return page.locator(`.tabs-container .tab${state}`, { hasText: where.image.split('/').pop() as string }).first();
}

/** Waits until the image's tab shows the document as unsaved (true) or saved (false). */
export async function untilDirty(page: Page, dirty: boolean, what: string): Promise<void> {
  await until(what, async () => (await imageTab(page, '.dirty').count()) > 0 === dirty);
}

/**
 * A stroke with no region selected asks for the new region's class the first time on an object:
 * picks the first row and returns the rows offered.
 */
export async function pickNewRegionClass(page: Page): Promise<string[]> {
  const widget = page.locator('.quick-input-widget', { hasText: "The new region's class" }).first();
  const rows = widget.locator('.monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
  // A row's first label is its item's (a reused row may keep a hidden separator's label after it).
  const offered = await rows.evaluateAll((list) => list.map((row) => (row.querySelector('.label-name')?.textContent ?? '').trim()));
  await rows.first().click();
  return offered;
}
