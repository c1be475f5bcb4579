// The hover's data from the real child server: anomalyLens/predictRecord answers with the
// bundle's calibrated probabilities and its uncertainty threshold, and the hover's Markdown marks
// a region "uncertain" exactly when its best answer is below the threshold (the setting's, else
// the bundle's). Real MVTec sample images, the embedded default model.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { predictionsMarkdown } from '../../../language/hover/hoverMarkdown';
import { recordAt } from '../../../language/hover/recordAt';
import type { RecordPredictions } from '../../../server/datasetText/types';
import { PredictRecordRequest } from '../../../server/rpc/protocol';
import { CLI_SCRIPT, REPO_ROOT, ensureBuilt, newClient } from './fixtures';

const SAMPLE = join(REPO_ROOT, '..', 'shared', 'data', 'mvtec-sample');
const CALIBRATION = (JSON.parse(readFileSync(join(REPO_ROOT, 'media', 'default-model', 'bundle.json'), 'utf8')) as { calibration: { uncertainBelow: number } }).calibration;
const links = { masks: [], describeWith: 'command:x' };
let dir = '';
let dataset = '';

before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'al-rpc-uncertain-'));
  dataset = join(dir, 'dataset');
  const r = spawnSync(process.execPath, [CLI_SCRIPT, 'build', SAMPLE, '--out', dataset, '--workers', '1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

it("answers with the bundle's threshold, and the hover marks each region below it uncertain", async (t) => {
  const client = newClient(t);
  const file = join(dataset, 'test.jsonl');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  let uncertain = 0;
  let stated = 0;
  for (const [n, line] of lines.entries()) {
    const record = JSON.parse(line) as { image: string; regions: { mask: string }[] };
    const predictions: RecordPredictions = await client.request(PredictRecordRequest, { file, image: record.image, masks: record.regions.map((r) => r.mask) }, { timeoutMs: 0 });
    assert.equal(predictions.uncertainBelow, CALIBRATION.uncertainBelow);
    const facts = recordAt(n, line, 0);
    assert.ok(facts);
    const md = predictionsMarkdown(facts, predictions, 'default', links);
    predictions.regions.forEach((p, i) => {
      assert.ok(p && 'ranking' in p, JSON.stringify(p));
      const below = p.ranking[0].probability < CALIBRATION.uncertainBelow;
      const row = md.split('\n').find((l) => l.startsWith(`| ${i + 1} |`)) as string;
      assert.equal(row.includes('*uncertain*'), below, row);
      if (below) uncertain++;
      else stated++;
    });
    // The setting overrides the bundle's threshold: 0 states every answer, 1 none.
    assert.doesNotMatch(predictionsMarkdown(facts, predictions, 'default', links, 0), /\*uncertain\*/);
    assert.equal(predictionsMarkdown(facts, predictions, 'default', links, 1).match(/\*uncertain\* \(below 100%\)/g)?.length, record.regions.length);
  }
  assert.ok(uncertain > 0, 'the default model is unsure of some regions of the real sample');
  t.diagnostic(`${uncertain} regions uncertain, ${stated} stated`);
});

it("gives the same calibrated probabilities as describe on the command line", async (t) => {
  const client = newClient(t);
  const file = join(dataset, 'test.jsonl');
  const record = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]) as { image: string; regions: { mask: string }[] };
  const predictions = await client.request(PredictRecordRequest, { file, image: record.image, masks: [record.regions[0].mask] }, { timeoutMs: 0 });
  const candidates = join(dir, 'candidates.json');
  const descriptions = (JSON.parse(readFileSync(join(dataset, 'dataset.json'), 'utf8')) as { descriptions: { text: string }[] }).descriptions.map((d) => d.text);
  writeFileSync(candidates, JSON.stringify([...new Set(descriptions)]));
  const r = spawnSync(process.execPath, [CLI_SCRIPT, 'describe', join(dataset, record.image), '--mask', join(dataset, record.regions[0].mask), '--candidates', candidates, '--top', '3', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const cli = JSON.parse(r.stdout) as { regions: { uncertain: boolean; ranking: { text: string; probability: number }[] }[] };
  const hover = predictions.regions[0];
  assert.ok(hover && 'ranking' in hover);
  assert.deepEqual(hover.ranking.map((x) => x.text), cli.regions[0].ranking.map((x) => x.text));
  hover.ranking.forEach((x, k) => assert.ok(Math.abs(x.probability - cli.regions[0].ranking[k].probability) < 1e-6));
  assert.equal(cli.regions[0].uncertain, hover.ranking[0].probability < CALIBRATION.uncertainBelow);
});
