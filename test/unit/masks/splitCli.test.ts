// anomaly-lens split, run as a user runs it (node dist/cli.js, after npm run build).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMask } from '../../../server/image/mask';
import { SPLIT_MARKER } from '../../../server/image/regionFiles';
import { useTempDir } from '../image/tempDir';
import { REPO_ROOT, SAMPLE, readSampleStats } from './sample';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function split(args: string[]) {
  assert.ok(existsSync(CLI), 'dist/cli.js exists (npm run build)');
  return spawnSync(process.execPath, [CLI, 'split', ...args], { encoding: 'utf8' });
}

interface SplitJson {
  width: number;
  height: number;
  regions: { index: number; area: number; bbox: number[]; classId?: number; file?: string }[];
  noise: number;
  dropped: number;
  distinctValues: number[];
  warnings: string[];
}

describe('anomaly-lens split', () => {
  const at = useTempDir('split-cli');
  const stats = readSampleStats();
  const hazelnut = stats.find((row) => row.mask === 'otx_hazelnut/ground_truth/colour/000_mask.png');
  const tire = stats.find((row) => row.mask === 'tire/ground_truth/combined/000_mask.png');
  assert.ok(hazelnut && tire);

  it('prints the regions of a sample mask as JSON', () => {
    const run = split([join(SAMPLE, hazelnut.mask), '--json']);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as SplitJson;
    assert.deepEqual([out.width, out.height], [hazelnut.width, hazelnut.height]);
    assert.deepEqual(out.regions.map((r) => r.area).sort((a, b) => b - a), hazelnut.sizes);
    assert.equal(out.noise, 0);
    assert.deepEqual(out.distinctValues, [0, 255]);
    assert.equal(run.stderr, '');
  });

  it('prints a readable table of area and bbox per region and the noise count', () => {
    const run = split([join(SAMPLE, hazelnut.mask), '--eps', '3', '--min-pts', '10']);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0], /000_mask\.png: 512x512, \d+ region\(s\) \(dbscan eps 3, min-pts 10\); noise \d+ px; 0 dropped below min-area 0$/);
    assert.match(lines[1], /^region +area +x +y +w +h$/);
    const json = JSON.parse(split([join(SAMPLE, hazelnut.mask), '--eps', '3', '--min-pts', '10', '--json']).stdout) as SplitJson;
    assert.equal(lines.length, 2 + json.regions.length);
    for (const [k, region] of json.regions.entries()) assert.deepEqual(lines[2 + k].trim().split(/ +/).map(Number), [k, region.area, ...region.bbox]);
    assert.match(lines[0], new RegExp(`noise ${json.noise} px`));
  });

  it('writes one 0/255 PNG per region into --out and nothing else but the list of what it wrote, replacing an earlier run', async () => {
    const out = at('regions');
    let run = split([join(SAMPLE, hazelnut.mask), '--out', out, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const first = JSON.parse(run.stdout) as SplitJson;
    assert.deepEqual(readdirSync(out).sort(), [SPLIT_MARKER, 'region-000.png', 'region-001.png', 'region-002.png', 'region-003.png', 'region-004.png']);
    for (const region of first.regions) {
      const { mask, distinctValues } = await readMask(region.file ?? '');
      assert.deepEqual(distinctValues, [0, 255]);
      assert.equal(mask.values.reduce((n, v) => n + v, 0), region.area);
    }
    writeFileSync(join(out, 'notes.txt'), 'kept');
    run = split([join(SAMPLE, hazelnut.mask), '--out', out, '--min-area', '300']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /3 region\(s\).*; 2 dropped below min-area 300/);
    assert.deepEqual(readdirSync(out).sort(), [SPLIT_MARKER, 'notes.txt', 'region-000.png', 'region-001.png', 'region-002.png']);
  });

  it('splits class-id masks per class and reports the class', () => {
    const run = split([join(SAMPLE, tire.mask), '--class-ids', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as SplitJson;
    assert.deepEqual(out.regions.map((r) => r.classId).sort(), [254, 255]);
    assert.deepEqual(out.warnings, []);
    const table = split([join(SAMPLE, tire.mask), '--class-ids']);
    assert.match(table.stdout, /^region +area +x +y +w +h +class$/m);
  });

  it('warns on stderr, naming the file, when a binary reading meets class values', () => {
    const run = split([join(SAMPLE, tire.mask), '--mode', 'cc8']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /warning: .*combined\/000_mask\.png: not a binary mask: 594 pixel\(s\) hold values other than 0 and 255/);
    assert.match(run.stdout, /2 region\(s\) \(cc8\)/);
  });

  it('fails with exit 2 and the file named for a file that is not a mask image', () => {
    writeFileSync(at('bad.png'), 'not an image');
    const bad = split([at('bad.png')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^anomaly-lens: .*bad\.png: not an image/);
    assert.equal(bad.stdout, '');
    const missing = split([at('missing.png'), '--json']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /missing\.png: cannot read the image: no such file/);
  });

  it('refuses a bad option value', () => {
    const run = split([join(SAMPLE, hazelnut.mask), '--eps', '0']);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'anomaly-lens split: --eps: invalid value "0": expected a positive number\n');
  });
});
