// The mask editor in VS Code's colour themes: switched with "Preferences: Color Theme" as a user
// does, each theme's look is checked in the open editor (its buttons in the theme's button colours,
// its side panel's text readable on its background) and photographed; the theme the session
// started with is chosen again at the end.
import type { Frame, Page } from 'playwright-core';
import type { Check } from '../harness';
import { pick } from '../palette';
import { editorFrame, until } from './editorPage';

interface Theme {
  /** The theme's name in the picker. */
  label: string;
  /** The webview body's data-vscode-theme-kind under it. */
  kind: string;
  shot: string;
}

const THEMES: Theme[] = [
  { label: 'Dark Modern', kind: 'vscode-dark', shot: 'mask-editor-theme-dark' },
  { label: 'Dark High Contrast', kind: 'vscode-high-contrast', shot: 'mask-editor-theme-high-contrast-dark' },
  { label: 'Light High Contrast', kind: 'vscode-high-contrast-light', shot: 'mask-editor-theme-high-contrast' },
  { label: 'Light Modern', kind: 'vscode-light', shot: 'mask-editor-theme-light' },
];

/** Picks a colour theme with the palette; returns the theme that was current. */
async function chooseTheme(page: Page, label: string): Promise<string> {
  // "Preferences: Browse Color Themes in Marketplace" comes first in the palette: the row is picked by its own name.
  // The palette is open before anything is typed: keys typed while the editor has the focus are its shortcuts.
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await until('the palette to take the keys', async () => (await widget.locator('input.input:focus').count()) > 0, 15_000);
  await page.keyboard.type('Preferences: Color Theme', { delay: 5 });
  const typed = await input.inputValue();
  if (!typed.endsWith('Preferences: Color Theme')) throw new Error(`the palette holds "${typed}"`);
  await pick(page, /Preferences: Color Theme(?!s)/);
  await widget.locator('input.input[placeholder*="Select Color Theme"]').first().waitFor({ timeout: 15_000 });
  // The picker opens on the current theme.
  const current = (await widget.locator('.monaco-list-row.focused .label-name').first().innerText({ timeout: 15_000 })).trim();
  await page.keyboard.type(label, { delay: 5 });
  await widget.locator('.monaco-list-row.focused', { hasText: label }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 15_000 });
  return current;
}

/** The webview's theme as its page says (VS Code sets it on the body). */
async function shownTheme(frame: Frame): Promise<{ kind: string; name: string }> {
  return (await frame.evaluate('({ kind: document.body.dataset.vscodeThemeKind ?? "", name: document.body.dataset.vscodeThemeName ?? "" })')) as { kind: string; name: string };
}

interface Look {
  /** Computed colours of what is seen, and the colours the theme's variables give, as rgb(). */
  activeTool: { background: string; foreground: string };
  /** In a high-contrast theme the active tool is outlined in its active contrast border. */
  activeOutline?: { seen: string; wanted: string };
  otherTool: { background: string; foreground: string };
  describe: { background: string; foreground: string };
  expected: { button: string; buttonText: string; secondary: string; secondaryText: string; foreground: string; editor: string; input: string };
  /** Variables the theme does not set (a control would fall back to a colour of its own). */
  unset: string[];
  /** Contrast ratios (WCAG) of text on what is behind it. */
  contrast: { side: number; description: number; selectedRegion: number; secondaryButton: number; primaryButton: number };
  side: { foreground: string; background: string };
  description: { background: string };
}

/** What the editor shows, read in its page: the computed colours of its controls and what the theme's variables say they should be. */
const READ_LOOK = `(() => {
  const variable = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const unset = [];
  const colour = (name) => {
    const value = variable(name);
    if (!value) unset.push(name);
    const probe = document.createElement('div');
    probe.style.color = value;
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  };
  const rgba = (c) => { const v = (c.match(/[\\d.]+/g) || []).map(Number); return v.length === 3 ? [...v, 1] : v; };
  // What is seen behind a node: its background and its ancestors', the translucent ones laid over those below.
  const backgroundOf = (node) => {
    const layers = [];
    for (let n = node; n; n = n.parentElement || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null)) {
      const v = rgba(getComputedStyle(n).backgroundColor);
      if (v[3] > 0) layers.push(v);
      if (v[3] >= 1) break;
    }
    let [r, g, b] = [255, 255, 255];
    for (const [lr, lg, lb, la] of layers.reverse()) [r, g, b] = [lr * la + r * (1 - la), lg * la + g * (1 - la), lb * la + b * (1 - la)];
    return 'rgb(' + [r, g, b].map(Math.round).join(', ') + ')';
  };
  const luminance = (c) => {
    const [r, g, b] = rgba(c).slice(0, 3).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const face = (selector) => {
    const host = document.querySelector(selector);
    const base = host && host.shadowRoot && host.shadowRoot.querySelector('.base');
    if (!base) throw new Error('no ' + selector + ' in the editor');
    return { background: backgroundOf(base), foreground: getComputedStyle(base).color };
  };
  const side = document.querySelector('.side');
  const sideText = getComputedStyle(side).color;
  const sideBackground = backgroundOf(side);
  const field = document.querySelector('vscode-textfield.description');
  const input = field.shadowRoot.querySelector('input');
  const fieldBackground = backgroundOf(input);
  const row = document.querySelector('.region.selected') || document.querySelector('.region');
  const truth = row.querySelector('.truth');
  return {
    activeTool: face('vscode-button.tool.active'),
    activeOutline: variable('--vscode-contrastActiveBorder')
      ? { seen: getComputedStyle(document.querySelector('vscode-button.tool.active')).outlineColor, wanted: colour('--vscode-contrastActiveBorder') }
      : undefined,
    otherTool: face('vscode-button.tool:not(.active)'),
    describe: face('.toolbar vscode-button.action'),
    expected: {
      button: variable('--vscode-button-background') ? colour('--vscode-button-background') : colour('--vscode-editor-background'),
      buttonText: colour('--vscode-button-foreground'),
      // A theme without button colours (Dark High Contrast) has them on the editor's background, as VS Code's own.
      secondary: variable('--vscode-button-secondaryBackground') ? colour('--vscode-button-secondaryBackground') : colour('--vscode-editor-background'),
      secondaryText: colour('--vscode-button-secondaryForeground'),
      foreground: colour('--vscode-foreground'),
      editor: colour('--vscode-editor-background'),
      input: colour('--vscode-settings-textInputBackground'),
    },
    unset,
    contrast: {
      side: contrast(sideText, sideBackground),
      description: contrast(getComputedStyle(input).color, fieldBackground),
      selectedRegion: contrast(getComputedStyle(truth).color, backgroundOf(truth)),
      secondaryButton: contrast(face('vscode-button.tool:not(.active)').foreground, face('vscode-button.tool:not(.active)').background),
      primaryButton: contrast(face('vscode-button.tool.active').foreground, face('vscode-button.tool.active').background),
    },
    side: { foreground: sideText, background: sideBackground },
    description: { background: fieldBackground },
  };
})()`;

function expectLook(theme: string, look: Look): void {
  const problems: string[] = [];
  const same = (what: string, seen: string, wanted: string) => seen !== wanted && problems.push(`${what} is ${seen}, the theme's ${wanted}`);
  if (look.unset.length) problems.push(`the theme sets no ${look.unset.join(', ')}`);
  same('the active tool button', look.activeTool.background, look.expected.button);
  same("the active tool button's text", look.activeTool.foreground, look.expected.buttonText);
  if (look.activeOutline) same("the active tool button's outline", look.activeOutline.seen, look.activeOutline.wanted);
  same('an inactive tool button', look.otherTool.background, look.expected.secondary);
  same("an inactive tool button's text", look.otherTool.foreground, look.expected.secondaryText);
  same('the Describe button', look.describe.background, look.expected.secondary);
  same("the Describe button's text", look.describe.foreground, look.expected.secondaryText);
  same("the side panel's text", look.side.foreground, look.expected.foreground);
  same("the side panel's background", look.side.background, look.expected.editor);
  same("the description field's background", look.description.background, look.expected.input);
  for (const [what, ratio] of Object.entries(look.contrast)) if (!(ratio >= 4.5)) problems.push(`the ${what} text contrasts ${ratio.toFixed(2)}:1 with its background (under 4.5:1)`);
  if (problems.length) throw new Error(`under ${theme}: ${problems.join('; ')}`);
}

export const themeFollowed: Check = {
  name: 'The mask editor follows the colour theme chosen with "Preferences: Color Theme": its buttons in the theme\'s button colours and its side panel readable, in a dark, two high-contrast and a light theme',
  run: async (page, session) => {
    const frame = await editorFrame(page);
    const tool = () => frame.locator('.stage').getAttribute('data-tool');
    const toolBefore = await tool();
    let started: string | undefined;
    try {
      for (const theme of THEMES) {
        const previous = await chooseTheme(page, theme.label);
        started ??= previous;
        await until(`the editor to take ${theme.label}`, async () => (await shownTheme(frame)).kind === theme.kind, 30_000, async () => JSON.stringify(await shownTheme(frame)));
        // Nothing focused or under the mouse: the buttons as they rest.
        await frame.locator('.files').click();
        const look = (await frame.evaluate(READ_LOOK)) as Look;
        await session.screenshot(theme.shot);
        expectLook(theme.label, look);
        // The keys typed into the palette were the palette's: the editor's tool is the one it had.
        if ((await tool()) !== toolBefore) throw new Error(`under ${theme.label} the editor's tool is ${await tool()}, not ${toolBefore}`);
      }
    } finally {
      if (started && started !== THEMES[THEMES.length - 1].label) {
        await chooseTheme(page, started);
        await until(`the editor to take ${started} again`, async () => (await shownTheme(frame)).name === started, 30_000, async () => JSON.stringify(await shownTheme(frame)));
      }
    }
  },
};
