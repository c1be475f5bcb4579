// Driving the workbench the way a person does: the command palette (F1), quick picks and
// input boxes answered by typing, Explorer context menus, notifications, webview frames.
import type { Frame, Locator, Page } from 'playwright-core';

export const STEP_TIMEOUT = 15_000;

function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

async function visibleQuickInput(page: Page, timeout = STEP_TIMEOUT): Promise<Locator> {
  const widget = quickInput(page);
  await widget.locator('input.input').first().waitFor({ state: 'visible', timeout });
  return widget;
}

/** Opens the palette, types the command's title, waits for it in the list and presses Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // A palette opened while another quick input was closing can lose what was typed: try again.
  // Each wait is for a state, capped generously: a busy machine is slow, not wrong.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    try {
      const widget = await visibleQuickInput(page);
      await page.keyboard.type(title, { delay: 5 });
      const typed = await widget.locator('input.input').first().inputValue();
      if (!typed.endsWith(title)) throw new Error(`the palette holds "${typed}", not "${title}"`);
      await widget.locator('.monaco-list-row.focused', { hasText: title }).first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** Answers a quick pick: waits until `title` (when given) is asked, types `filter`, picks the row that contains `row`. */
export async function pick(page: Page, row: string | RegExp, options: { asked?: RegExp; filter?: string } = {}): Promise<void> {
  const widget = await visibleQuickInput(page);
  if (options.asked) await waitForText(widget, options.asked);
  if (options.filter) await page.keyboard.type(options.filter, { delay: 5 });
  const target = widget.locator('.monaco-list-row', { hasText: row }).first();
  await target.waitFor({ timeout: STEP_TIMEOUT });
  await target.click();
}

/** Waits until the quick pick shows a row whose text matches. */
export async function quickInputRow(page: Page, row: RegExp): Promise<void> {
  const widget = await visibleQuickInput(page);
  await widget.locator('.monaco-list-row', { hasText: row }).first().waitFor({ timeout: STEP_TIMEOUT });
}

/** Answers an input box (or a quick pick's free text): replaces its value by `value` and presses Enter. */
export async function answer(page: Page, value: string, options: { asked?: RegExp } = {}): Promise<void> {
  const widget = await visibleQuickInput(page);
  if (options.asked) await waitForText(widget, options.asked);
  const input = widget.locator('input.input').first();
  await input.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(value, { delay: 2 });
  await page.keyboard.press('Enter');
}

/**
 * Answers VS Code's own folder dialog (the quick-input one a browser workbench shows): types the
 * folder's path, waits until the dialog has moved into it, and presses its accept button.
 */
export async function chooseFolder(page: Page, folder: string, acceptLabel: RegExp): Promise<void> {
  const widget = await visibleQuickInput(page);
  const input = widget.locator('input.input').first();
  const wanted = `${folder}/`;
  const inside = async () =>
    (await input.inputValue()) === wanted && (await widget.locator('.monaco-list-row', { hasText: '..' }).first().isVisible().catch(() => false));
  // The dialog fills in its starting folder after it shows, which can overwrite what was typed
  // too early: type again until it has moved into the folder (its ".." entry leads back up).
  const deadline = Date.now() + STEP_TIMEOUT;
  while (!(await inside())) {
    if (Date.now() > deadline) throw new Error(`the folder dialog did not open ${folder} (its value: ${await input.inputValue()})`);
    if ((await input.inputValue()) !== wanted) {
      await input.focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(wanted);
    }
    await page.waitForTimeout(500);
  }
  await widget.locator('.monaco-button', { hasText: acceptLabel }).first().click();
}

/** Accepts the input box's proposed value. */
export async function accept(page: Page, options: { asked?: RegExp } = {}): Promise<void> {
  const widget = await visibleQuickInput(page);
  if (options.asked) await waitForText(widget, options.asked);
  await page.keyboard.press('Enter');
}

/** Presses the Back button of a guided step, once `asked` is asked (when given). */
export async function back(page: Page, options: { asked?: RegExp } = {}): Promise<void> {
  const widget = await visibleQuickInput(page);
  if (options.asked) await waitForText(widget, options.asked);
  await widget.locator('.quick-input-titlebar .codicon-quick-input-back').first().click();
}

/** Waits until `asked` is asked and the input box holds `value`. */
export async function inputHolds(page: Page, value: string | RegExp, options: { asked?: RegExp } = {}): Promise<void> {
  const widget = await visibleQuickInput(page);
  if (options.asked) await waitForText(widget, options.asked);
  const input = widget.locator('input.input').first();
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const held = await input.inputValue();
    if (typeof value === 'string' ? held === value : value.test(held)) return;
    if (Date.now() > deadline) throw new Error(`the input box holds "${held}", not ${value}`);
    await page.waitForTimeout(200);
  }
}

/** Waits until `asked` is asked and the row Enter accepts (the focused one) matches `row`. */
export async function focusedRow(page: Page, row: RegExp, options: { asked?: RegExp } = {}): Promise<void> {
  const widget = await visibleQuickInput(page);
  if (options.asked) await waitForText(widget, options.asked);
  await widget.locator('.monaco-list-row.focused', { hasText: row }).first().waitFor({ timeout: STEP_TIMEOUT });
}

export async function waitForText(scope: Locator | Page, text: RegExp, timeout = STEP_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const content = await ('keyboard' in scope ? scope.locator('body') : scope).innerText().catch(() => '');
    if (text.test(content)) return;
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${text} in: ${content.replace(/\s+/g, ' ').slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A notification toast whose text matches; returns it. */
export async function notification(page: Page, text: RegExp, timeout = STEP_TIMEOUT): Promise<Locator> {
  const toast = page.locator('.notification-toast, .notifications-center .notification-list-item', { hasText: text }).first();
  const deadline = Date.now() + timeout;
  // A toast VS Code has already hidden (or never showed while the window was busy) is still in
  // the notification centre, where a user finds it behind the bell.
  for (;;) {
    const wait = Math.min(15_000, deadline - Date.now());
    if (wait > 0 && (await toast.waitFor({ timeout: wait }).then(() => true, () => false))) return toast;
    await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
    if (await toast.waitFor({ timeout: 2_000 }).then(() => true, () => false)) return toast;
    if (Date.now() >= deadline) break;
  }
  const shown = await page.locator('.notification-toast, .notifications-center .notification-list-item').allInnerTexts().catch(() => []);
  throw new Error(`no notification matches ${text} after ${timeout} ms; notifications: ${shown.map((t) => t.replace(/\s+/g, ' ')).join(' | ') || 'none'}`);
}

/** The innermost webview frame whose document satisfies `predicate`. */
export async function webviewFrame(page: Page, predicate: (frame: Frame) => Promise<boolean>, timeout = STEP_TIMEOUT): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('webview')) continue;
      if (await predicate(frame).catch(() => false)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no matching webview frame; the webviews show: ${(await webviewSummaries(page)).join(' | ') || 'none'}`);
}

/** What each webview frame shows, for a failure's message: its heading and the start of its text. */
async function webviewSummaries(page: Page): Promise<string[]> {
  const frames = page.frames().filter((f) => f.url().includes('webview'));
  const seen = await Promise.all(
    frames.map((f) =>
      f
        .evaluate(() => {
          const heading = document.querySelector('h1')?.textContent?.trim() ?? '';
          const marks = [...document.querySelectorAll('[data-points],[data-replayed],[data-series]')].map((e) => `${e.id}:${Object.entries((e as HTMLElement).dataset).map(([k, v]) => `${k}=${v}`).join(',')}`);
          return `"${heading}" ${(document.body?.innerText ?? '').replace(/\s+/g, ' ').slice(0, 80)} [${marks.join(' ')}]`;
        })
        .catch((err: unknown) => `(unreadable: ${(err as Error).message.split('\n')[0]})`),
    ),
  );
  return seen;
}
