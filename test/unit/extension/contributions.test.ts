// package.json's contributions against the extension's code: every command a menu names is
// declared and registered, and everything that runs code needs a trusted workspace.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; enablement?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
  };
};
const source = readFileSync(join(ROOT, 'extension', 'extension.ts'), 'utf8');
const registered = new Set([...source.matchAll(/command\('(\w+)'/g)].map((m) => `anomalyLens.${m[1]}`));
// The language features register their commands by named constants (language/register.ts).
const languageDir = join(ROOT, 'language');
const languageSources = readdirSync(languageDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(languageDir, f), 'utf8'));
const registerSource = readFileSync(join(languageDir, 'register.ts'), 'utf8');
for (const text of languageSources) {
  for (const m of text.matchAll(/export const (\w+_COMMAND) = '(anomalyLens\.\w+)'/g)) if (registerSource.includes(`registerCommand(${m[1]},`)) registered.add(m[2]);
}
const declared = new Map(pkg.contributes.commands.map((c) => [c.command, c]));

const RUNS_CODE = ['createSample', 'buildSample', 'buildDataset', 'validateDataset', 'trainModel', 'evaluate', 'describeRegion', 'exportCheckpoint', 'importWeights', 'resumeRun'].map((c) => `anomalyLens.${c}`);

test('every declared command is registered, and every menu entry names a declared command', () => {
  for (const c of declared.keys()) if (c.startsWith('anomalyLens.') && !c.includes('MaskEditor')) assert.ok(registered.has(c), `${c} is registered in extension.ts`);
  for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
    for (const e of entries) assert.ok(declared.has(e.command), `${menu}: ${e.command} is declared`);
  }
});

test('commands that run Python, an LLM, a build or training are disabled in Restricted Mode', () => {
  for (const c of RUNS_CODE) {
    assert.match(declared.get(c)?.enablement ?? '', /isWorkspaceTrusted/, `${c} enablement`);
    for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
      for (const e of entries.filter((x) => x.command === c && x.when !== 'false')) assert.match(e.when ?? '', /isWorkspaceTrusted/, `${menu}: ${c}`);
    }
  }
  // Reading stays possible.
  for (const c of ['anomalyLens.showStatistics', 'anomalyLens.openReport', 'anomalyLens.openDashboard', 'anomalyLens.refreshModels']) assert.equal(declared.get(c)?.enablement, undefined, c);
});

test('the Anomaly Lens container holds the Datasets, Models and Runs views, all created by the extension', () => {
  const ids = pkg.contributes.views.anomalyLens.map((v) => v.id);
  assert.deepEqual(ids.slice(0, 3), ['anomalyLens.datasets', 'anomalyLens.models', 'anomalyLens.runs']);
  for (const id of ids.slice(0, 3)) assert.ok(source.includes(`createTreeView('${id}'`), id);
});

test('the Datasets view offers validate, train and evaluate on a dataset', () => {
  const items = pkg.contributes.menus['view/item/context'].filter((e) => e.when?.includes('viewItem == anomalyLens.dataset'));
  for (const c of ['validateDataset', 'trainModel', 'evaluate']) assert.ok(items.some((e) => e.command === `anomalyLens.${c}`), c);
});

test('every webview panel that restores itself after a reload activates the extension; the mask editor is an option for images', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    activationEvents: string[];
    contributes: { customEditors: { viewType: string; priority: string; selector: { filenamePattern: string }[] }[] };
  };
  const panels = readFileSync(join(ROOT, 'extension', 'panels', 'index.ts'), 'utf8');
  const serialized = [...panels.matchAll(/registerWebviewPanelSerializer\((\w+)/g)].map((m) => m[1]);
  const viewTypes: Record<string, string> = {
    DASHBOARD_VIEW_TYPE: readFileSync(join(ROOT, 'webviews', 'training', 'messages.ts'), 'utf8').match(/DASHBOARD_VIEW_TYPE = '([^']+)'/)?.[1] ?? '',
    REPORT_VIEW_TYPE: readFileSync(join(ROOT, 'webviews', 'report', 'messages.ts'), 'utf8').match(/REPORT_VIEW_TYPE = '([^']+)'/)?.[1] ?? '',
  };
  assert.deepEqual(serialized.sort(), Object.keys(viewTypes).sort());
  for (const name of serialized) assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${viewTypes[name]}`), `onWebviewPanel:${viewTypes[name]}`);
  const [editor] = manifest.contributes.customEditors;
  assert.equal(editor.viewType, 'anomalyLens.maskEditor');
  assert.equal(editor.priority, 'option', 'the built-in image preview stays the default');
  for (const ext of ['png', 'jpg', 'jpeg', 'bmp', 'tif', 'tiff']) assert.match(editor.selector[0].filenamePattern, new RegExp(`\\b${ext}\\b`));
});
