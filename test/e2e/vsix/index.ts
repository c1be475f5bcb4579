// Extension-host checks of the Anomaly Lens VSIX that code-server installed (--install-extension):
// the installed copy, not the repository, activates and describes a region with the default
// bundle it carries, as the repository's build does.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import * as vscode from 'vscode';
import type { AnomalyLensApi } from '../../../extension/extension';
import { DescribeRegionsRequest, PingRequest, type DescribeRegionsResult } from '../../../server/rpc/protocol';
import { Suite, runAndReport, waitFor } from '../suite/runner';
import { EXPECTED_FILE, SAMPLE_IMAGE, SAMPLE_MASK } from './paths';

const EXTENSION_ID = 'anomaly-lens.anomaly-lens';

function installed(): vscode.Extension<AnomalyLensApi> {
  const extension = vscode.extensions.getExtension<AnomalyLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension;
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workspace is open');
  return folder.uri.fsPath;
}

const suite = new Suite();

suite.test('the installed extension is the VSIX copy in the extensions folder, with linux-x64 binaries only', () => {
  const extension = installed();
  const path = extension.extensionPath;
  // The session's extensions folder lies beside the results file the harness names.
  const extensions = join(dirname(process.env.ANOMALY_LENS_E2E_RESULTS ?? ''), 'extensions');
  assert.ok(path.startsWith(extensions + sep), `${path} lies in ${extensions}`);
  assert.match(basename(path), /^anomaly-lens\.anomaly-lens-0\.1\.0/);
  assert.ok(!existsSync(join(path, 'server')), 'no sources');
  const ortBin = join(path, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
  assert.deepEqual(readdirSync(ortBin), ['linux']);
  assert.deepEqual(readdirSync(join(ortBin, 'linux')), ['x64']);
});

suite.test('the installed extension activates and its child server answers', async () => {
  const extension = installed();
  await extension.activate();
  await waitFor('activation', () => extension.isActive);
  const info = await extension.exports.server.get().request(PingRequest);
  assert.equal(info.name, 'anomaly-lens');
  assert.ok(info.capabilities.includes(DescribeRegionsRequest.method), info.capabilities.join(', '));
});

suite.test('the installed extension describes the regions of a sample mask with its default bundle (Describe Region)', async () => {
  const extension = installed();
  const root = workspaceRoot();
  const expected = JSON.parse(readFileSync(join(root, EXPECTED_FILE), 'utf8')) as {
    regions: { ranking: { text: string; cosine: number }[] }[];
  };
  const result = await vscode.commands.executeCommand<DescribeRegionsResult | undefined>('anomalyLens.describeRegion', {
    image: join(root, SAMPLE_IMAGE),
    mask: join(root, SAMPLE_MASK),
    topK: 3,
    show: false,
  });
  assert.ok(result, 'a result');
  assert.equal(result.bundle, join(extension.extensionPath, 'media', 'default-model'));
  assert.ok(expected.regions.length >= 1);
  assert.equal(result.regions.length, expected.regions.length);
  result.regions.forEach((region, i) => {
    const want = expected.regions[i].ranking;
    assert.deepEqual(region.ranking.map((r) => r.text), want.map((r) => r.text), `region ${i + 1}`);
    region.ranking.forEach((r, k) => assert.ok(Math.abs(r.cosine - want[k].cosine) < 1e-4, `region ${i + 1} rank ${k + 1}: ${r.cosine} vs ${want[k].cosine}`));
  });
});

export function run(): Promise<void> {
  return runAndReport(suite);
}
