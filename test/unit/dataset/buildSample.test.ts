// End to end on the real shared sample (MVTec AD layout, OTX hazelnut + MVTec 3D-AD tire).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DatasetManifest, ImageRecord } from '../../../server/dataset/format';
import { buildJson, ensureBuilt, readJsonl, runCli, sharedDir, treeDigest, withoutContentTag } from './cli';
import { withTempDir } from './fixtures';

const sample = join(sharedDir, 'data', 'mvtec-sample');

interface StatsRow {
  image: string;
  mask: string;
  ccs: number;
  anomalyPx: number;
}

/** The per-image table of STATS.md: connected components (8-connectivity) per image. */
function readStatsMd(): StatsRow[] {
  const rows: StatsRow[] = [];
  for (const line of readFileSync(join(sample, 'STATS.md'), 'utf8').split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.split('|').map((c) => c.trim());
    rows.push({ image: cells[1].replace(/`/g, ''), mask: cells[2].replace(/`/g, ''), ccs: Number(cells[7]), anomalyPx: Number(cells[8]) });
  }
  return rows;
}

/** images/test/<object>/<defect>/<name> -> <object>/test/<defect>/<name> in the source. */
function sourceImageOf(record: ImageRecord): string {
  const [, , object, defect, name] = withoutContentTag(record.image).split('/');
  return `${object}/test/${defect}/${name}`;
}

async function greyPixels(file: string): Promise<Uint8Array> {
  return (await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true })).data;
}

before(ensureBuilt);

test('building the shared sample gives STATS.md region counts, class-id defects, and leaves the source untouched', async () => {
  await withTempDir('sample', async (dir) => {
    const out = join(dir, 'ds');
    const digestBefore = treeDigest(sample);
    const { code, result, stderr } = buildJson([sample, '--out', out, '--eps', '1.5', '--min-pts', '1', '--workers', '2']);
    assert.equal(code, 0, stderr);
    assert.equal(result.errors, 0, JSON.stringify(result.problems));
    assert.deepEqual(treeDigest(sample), digestBefore, 'the source is unchanged');

    const stats = readStatsMd();
    assert.equal(stats.length, 25);
    const records = readJsonl<ImageRecord>(join(out, 'test.jsonl'));
    assert.equal(readJsonl(join(out, 'train.jsonl')).length, 0, 'a single real source feeds only test');
    assert.equal(readJsonl(join(out, 'val.jsonl')).length, 0);
    const bySource = new Map(records.map((r) => [sourceImageOf(r), r]));
    assert.deepEqual([...bySource.keys()].sort(), stats.map((s) => s.image).sort());
    for (const row of stats) {
      const record = bySource.get(row.image) as ImageRecord;
      assert.equal(record.regions.length, row.ccs, `${row.image}: regions vs STATS.md CCs`);
      assert.equal(record.regions.reduce((n, r) => n + r.area, 0), row.anomalyPx, `${row.image}: region areas vs anomaly px`);
    }

    // Tire masks are class-id masks: every region takes its defect from its own grey value.
    const classIds = JSON.parse(readFileSync(join(sample, 'tire', 'class_ids.json'), 'utf8')) as Record<string, string>;
    const combined = records.filter((r) => r.object === 'tire' && r.defect === 'combined');
    assert.equal(combined.length, 3);
    for (const record of records.filter((r) => r.object === 'tire')) {
      const row = stats.find((s) => s.image === sourceImageOf(record)) as StatsRow;
      const sourceMask = await greyPixels(join(sample, row.mask));
      for (const region of record.regions) {
        const own = await greyPixels(join(out, region.mask));
        const values = new Set<number>();
        own.forEach((v, i) => v === 255 && values.add(sourceMask[i]));
        assert.equal(values.size, 1, `${region.mask} covers one class`);
        assert.equal(region.defect, classIds[String([...values][0])], region.mask);
        assert.equal(region.classId, [...values][0]);
      }
    }
    const combinedDefects = combined.map((r) => r.regions.map((g) => g.defect).sort().join('+')).sort();
    assert.ok(combinedDefects.every((d) => d.includes('+')), `combined images mix two classes: ${combinedDefects}`);

    const manifest = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as DatasetManifest;
    const goodHazelnut = ['train', 'test'].reduce((n, s) => n + readdirSync(join(sample, 'otx_hazelnut', s, 'good')).length, 0);
    assert.equal(manifest.goodImages?.otx_hazelnut, goodHazelnut);
    assert.deepEqual(manifest.parameters, { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, threshold: 0, jpegThreshold: 127, splitSeed: 0, valRatio: 0.29, describe: 'builtin' });
    for (const d of ['contamination', 'cut', 'hole']) {
      assert.ok(manifest.descriptions.some((e) => e.object === 'tire' && e.defect === d && e.text.length > 0), `description of tire/${d}`);
    }
    assert.equal(manifest.descriptions.some((e) => e.defect === 'combined'), false, '"combined" is a folder, not a defect class');

    const validate = runCli(['validate', out]);
    assert.equal(validate.code, 0, validate.stdout + validate.stderr);

    const statsJson = JSON.parse(runCli(['stats', out, '--json']).stdout);
    const perObject = Object.fromEntries(statsJson.objects.map((r: { label: string; counts: { test: number } }) => [r.label, r.counts.test]));
    assert.deepEqual(perObject, { otx_hazelnut: 17, tire: 8 });
    const statsMd = runCli(['stats', out]).stdout;
    assert.match(statsMd, /\| Object \| Train \| Validation \| Test \|/);
    assert.equal(readFileSync(join(out, 'stats.md'), 'utf8').includes(statsMd.trim()), true, 'stats.md holds the same tables');

    // A rerun decodes nothing and writes the same dataset.
    const jsonlBefore = readFileSync(join(out, 'test.jsonl'), 'utf8');
    const again = buildJson([sample, '--out', out, '--eps', '1.5', '--min-pts', '1', '--workers', '2']);
    assert.equal(again.code, 0);
    assert.deepEqual(again.result.images, { total: 25, processed: 0, cached: 25, skipped: 0 });
    assert.equal(readFileSync(join(out, 'test.jsonl'), 'utf8'), jsonlBefore);

    // Another eps decodes everything again.
    const wider = buildJson([sample, '--out', out, '--eps', '3', '--workers', '2']);
    assert.equal(wider.result.images.processed, 25);
    assert.equal(runCli(['validate', out]).code, 0);
  });
});

test('the output folder may not lie inside a source, nor a source inside it; sources may not overlap', async () => {
  const inside = runCli(['build', sample, '--out', join(sample, 'otx_hazelnut', 'built')]);
  assert.equal(inside.code, 2);
  assert.match(inside.stderr, /lies inside the source/);
  const around = runCli(['build', sample, '--out', join(sample, '..')]);
  assert.equal(around.code, 2);
  assert.match(around.stderr, /lies inside the output folder/);
  await withTempDir('twice', async (dir) => {
    const twice = runCli(['build', sample, join(sample, 'tire'), '--out', join(dir, 'ds')]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /overlap; give each folder once/);
  });
});
