// `anomaly-lens descriptions`: the classes of a dataset with their descriptions, and the
// overrides template curators edit, read back by the overrides loader.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOverrides } from '../../../server/describe';
import { REPO_ROOT, runCli } from '../eval/colourFixtures';

const SAMPLE = join(REPO_ROOT, '..', 'shared', 'data', 'mvtec-sample');
const root = mkdtempSync(join(tmpdir(), 'al-descriptions-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('descriptions command', () => {
  it('lists the classes of a source dataset, per class id for class-id masks', () => {
    const run = runCli(['descriptions', SAMPLE, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const entries = JSON.parse(run.stdout) as { object: string; defect: string; text: string; provenance: { kind: string } }[];
    // tire's masks are class-id masks (class_ids.json): their regions are hole, cut and
    // contamination; the folder name `combined` is no class.
    assert.deepEqual(entries.map((e) => `${e.object}/${e.defect}`).sort(), ['otx_hazelnut/colour', 'tire/contamination', 'tire/cut', 'tire/hole']);
    for (const e of entries) {
      assert.equal(e.provenance.kind, 'builtin');
      assert.ok(e.text.includes(e.object === 'tire' ? 'tire' : 'hazelnut'), e.text);
    }
  });

  it('writes an overrides template that the overrides loader reads, and keeps an existing one', () => {
    const file = join(root, 'curated.json');
    const first = runCli(['descriptions', SAMPLE, '--template', file]);
    assert.equal(first.code, 0, first.stderr);
    const template = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    assert.equal(template['tire/cut'], 'cut in tire');

    template['tire/cut'] = 'a cut in the tire tread';
    writeFileSync(file, JSON.stringify(template));
    const overrides = loadOverrides(file);
    assert.equal(overrides.lookup('tire', 'cut'), 'a cut in the tire tread');

    const again = runCli(['descriptions', SAMPLE, '--template', file]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /curated\.json: the file exists already/);
    assert.equal(JSON.parse(readFileSync(file, 'utf8'))['tire/cut'], 'a cut in the tire tread', 'the edited file is kept');

    assert.equal(runCli(['descriptions', SAMPLE, '--template', file, '--force']).code, 0);
    assert.equal(JSON.parse(readFileSync(file, 'utf8'))['tire/cut'], 'cut in tire');
  });
});
