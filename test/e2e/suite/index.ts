// Extension-side tests: they run inside VS Code's extension host against the fixture
// workspace that test/e2e/run.ts opened.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AnomalyLensApi } from '../../../extension/extension';
import type { DatasetTreeNode } from '../../../extension/datasetTree/model';
import type { DatasetManifest } from '../../../server/dataset/format';
import { DatasetStatsRequest, PingRequest } from '../../../server/rpc/protocol';
import { COMPUTING_NOTE } from '../../../extension/statistics/markdown';
import { FIXTURE_DATASETS, countsOf, writeDataset, type FixtureDataset } from '../fixture';
import { Suite, runAndReport, waitFor } from './runner';

const EXTENSION_ID = 'anomaly-lens.anomaly-lens';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri.fsPath;
}

function countText(c: { images: number; regions: number }): string {
  return `${c.images} image${c.images === 1 ? '' : 's'} · ${c.regions} region${c.regions === 1 ? '' : 's'}`;
}

function totalCounts(d: FixtureDataset): { images: number; regions: number } {
  return countsOf([...d.records.train, ...d.records.val, ...d.records.test]);
}

async function api(): Promise<AnomalyLensApi> {
  const extension = vscode.extensions.getExtension<AnomalyLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  await waitFor('the extension to activate', () => extension.isActive);
  return extension.exports;
}

function item(a: AnomalyLensApi, node: DatasetTreeNode): vscode.TreeItem {
  return a.datasets.getTreeItem(node);
}

async function childByLabel(a: AnomalyLensApi, parent: DatasetTreeNode | undefined, label: string): Promise<DatasetTreeNode> {
  const children = await a.datasets.getChildren(parent);
  const found = children.find((c) => item(a, c).label === label);
  assert.ok(found, `"${label}" among ${children.map((c) => JSON.stringify(item(a, c).label)).join(', ')}`);
  return found;
}

const suite = new Suite();

suite.test('the Anomaly Lens view container opens and the extension activates', async () => {
  await vscode.commands.executeCommand('workbench.view.extension.anomalyLens');
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  await waitFor('the extension to activate', () => extension.isActive);
  assert.equal(typeof (extension.exports as AnomalyLensApi).datasets?.getChildren, 'function');
});

suite.test('the Datasets view lists each dataset.json with its image and region totals', async () => {
  const a = await api();
  const roots = await a.datasets.getChildren();
  const expected = [...FIXTURE_DATASETS].sort((x, y) => x.folder.localeCompare(y.folder));
  assert.deepEqual(
    roots.map((n) => [item(a, n).label, item(a, n).description]),
    expected.map((d) => [d.folder, countText(totalCounts(d))]),
  );
});

suite.test('a split expands into its objects and defects, counted from the split file', async () => {
  const a = await api();
  const screws = FIXTURE_DATASETS[0];
  const dataset = await childByLabel(a, undefined, screws.folder);
  const train = await childByLabel(a, dataset, 'train');
  assert.equal(item(a, train).description, countText(countsOf(screws.records.train)));
  const objects = await a.datasets.getChildren(train);
  const names = [...new Set(screws.records.train.map((r) => r.object))].sort();
  assert.deepEqual(objects.map((o) => item(a, o).label), names);
  const screw = await childByLabel(a, train, 'screw');
  assert.equal(item(a, screw).description, countText(countsOf(screws.records.train.filter((r) => r.object === 'screw'))));
  const defects = await a.datasets.getChildren(screw);
  assert.deepEqual(defects.map((d) => item(a, d).label), ['scratch_head', 'thread_side']);
});

suite.test('the objects node lists defect classes with their descriptions', async () => {
  const a = await api();
  const dataset = await childByLabel(a, undefined, FIXTURE_DATASETS[1].folder);
  const objects = await childByLabel(a, dataset, 'objects');
  const cable = await childByLabel(a, objects, 'cable');
  const [defect] = await a.datasets.getChildren(cable);
  assert.equal(item(a, defect).label, 'cut_inner_insulation');
  assert.equal(item(a, defect).description, FIXTURE_DATASETS[1].records.train[0].regions[0].description);
});

suite.test('Refresh Datasets picks up a new dataset and reports an unreadable dataset.json', async () => {
  const a = await api();
  const root = workspaceRoot();
  const added: FixtureDataset = {
    folder: 'datasets/added',
    records: { train: FIXTURE_DATASETS[0].records.train.slice(0, 1), val: [], test: [] },
  };
  writeDataset(root, added);
  mkdirSync(join(root, 'datasets', 'broken'), { recursive: true });
  writeFileSync(join(root, 'datasets', 'broken', 'dataset.json'), '{ "formatVersion": 1, "objects": [');
  const count = await vscode.commands.executeCommand<number>('anomalyLens.refreshDatasets');
  assert.equal(count, FIXTURE_DATASETS.length + 2);
  const addedNode = await childByLabel(a, undefined, added.folder);
  assert.equal(item(a, addedNode).description, countText(totalCounts(added)));
  const broken = await childByLabel(a, undefined, 'datasets/broken');
  assert.equal(broken.kind, 'invalid');
  assert.match(String(item(a, broken).tooltip), /broken[/\\]dataset\.json: not valid JSON/);
});

suite.test("Show Dataset Statistics renders dataset.json's counts at once in the Markdown preview, then the split files' tables when the server has them", async () => {
  const screws = FIXTURE_DATASETS[0];
  const manifest = vscode.Uri.file(join(workspaceRoot(), screws.folder, 'dataset.json'));
  // What the document held when it opened, before any answer of the server could change it.
  let subscription: vscode.Disposable | undefined;
  const opened = new Promise<string>((resolve) => {
    subscription = vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.uri.query === manifest.fsPath) resolve(d.getText());
    });
  });
  const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('anomalyLens.showStatistics', manifest);
  assert.ok(document, 'a statistics document');
  const first = await opened;
  subscription?.dispose();
  for (const split of ['train', 'val', 'test'] as const) {
    const c = countsOf(screws.records[split]);
    assert.ok(first.includes(`| ${split} | ${c.images} | ${c.regions} |`), `row for ${split} in:\n${first}`);
  }
  const all = totalCounts(screws);
  assert.ok(first.includes(`| **all** | ${all.images} | ${all.regions} |`), first);
  assert.ok(first.includes(COMPUTING_NOTE), `shown before the server answered, saying the tables are being computed:\n${first}`);
  // The builder's Table 1, computed from the split files: images of each object per split.
  const screwImages = (['train', 'val', 'test'] as const).map((s) => screws.records[s].filter((r) => r.object === 'screw').length);
  await waitFor("the split files' tables", () => document.getText().includes(`| screw | ${screwImages.join(' | ')} |`), 60_000);
  assert.ok(!document.getText().includes(COMPUTING_NOTE), document.getText());
  await waitFor('the Markdown preview tab', () =>
    vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview')),
  );
});

suite.test("Show Dataset Statistics opens the builder's stats.md when there is one", async () => {
  const cables = FIXTURE_DATASETS[1];
  const folder = vscode.Uri.file(join(workspaceRoot(), cables.folder));
  const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('anomalyLens.showStatistics', folder);
  assert.ok(document, 'a statistics document');
  assert.equal(document.uri.fsPath, join(folder.fsPath, 'stats.md'));
  assert.equal(document.getText(), cables.statsMarkdown);
});

suite.test('Build Dataset runs the anomaly-lens command line as a task and returns its exit code', async () => {
  const a = await api();
  const before = (await a.datasets.getChildren()).length;
  const output = vscode.Uri.file(join(workspaceRoot(), 'datasets', 'never-built'));
  const source = vscode.Uri.file(join(workspaceRoot(), 'no-such-source'));
  const code = await vscode.commands.executeCommand<number | undefined>('anomalyLens.buildDataset', { source, output });
  assert.equal(code, 2, 'the CLI refuses a missing source with its user-error exit code');
  assert.ok(!existsSync(output.fsPath), 'nothing written');
  assert.equal((await a.datasets.getChildren()).length, before);
});

suite.test('Build Dataset builds the MVTec-layout sample and the view lists the new dataset', async () => {
  const a = await api();
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  const sample = join(extension.extensionPath, '..', 'shared', 'data', 'mvtec-sample');
  assert.ok(existsSync(sample), `the sample dataset is at ${sample}`);
  const output = vscode.Uri.file(join(workspaceRoot(), 'datasets', 'built'));
  const code = await vscode.commands.executeCommand<number | undefined>('anomalyLens.buildDataset', { source: vscode.Uri.file(sample), output });
  if (code !== 0) {
    // The task's output is in a terminal the API cannot read: run the same build again to show why.
    const again = spawnSync(process.execPath, [join(extension.extensionPath, 'dist', 'cli.js'), 'build', sample, '--out', `${output.fsPath}-again`], { encoding: 'utf8' });
    assert.fail(`anomaly-lens build exited with ${code}; run again: ${again.status}\n${again.stderr}`);
  }
  const manifest = JSON.parse(readFileSync(join(output.fsPath, 'dataset.json'), 'utf8')) as DatasetManifest;
  const built = await childByLabel(a, undefined, 'datasets/built');
  const images = manifest.counts.train.images + manifest.counts.val.images + manifest.counts.test.images;
  const regions = manifest.counts.train.regions + manifest.counts.val.regions + manifest.counts.test.regions;
  assert.ok(images > 0 && regions >= images, `counts ${JSON.stringify(manifest.counts)}`);
  assert.equal(item(a, built).description, countText({ images, regions }));
  const objects = await childByLabel(a, built, 'objects');
  assert.deepEqual((await a.datasets.getChildren(objects)).map((o) => item(a, o).label), [...manifest.objects].sort());
  const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('anomalyLens.showStatistics', output);
  assert.equal(document?.uri.fsPath, join(output.fsPath, 'stats.md'));
});

suite.test('the child server starts on first use and reads statistics of a workspace dataset', async () => {
  const a = await api();
  const client = a.server.get();
  const info = await client.request(PingRequest);
  assert.equal(info.name, 'anomaly-lens');
  assert.notEqual(info.pid, process.pid);
  const screws = FIXTURE_DATASETS[0];
  // Relative paths are relative to the workspace folder, the server's working folder.
  const stats = await client.request(DatasetStatsRequest, { dataset: screws.folder });
  assert.equal(stats.dataset, join(workspaceRoot(), screws.folder));
  assert.deepEqual(stats.counts, { train: countsOf(screws.records.train), val: countsOf(screws.records.val), test: countsOf(screws.records.test) });
  assert.equal(stats.stats.objectsTotal.total, totalCounts(screws).images);
});

export function run(): Promise<void> {
  return runAndReport(suite);
}
