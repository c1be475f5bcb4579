// MVTec LOCO AD sources (locoFixtures.ts: drawn here in LOCO's layout, not real data): the reader
// pairs each anomalous image with all its mask images and names their values by the object's
// defects_config.json; `anomaly-lens build` (the real command line) splits each mask image into
// regions named by their defect type; `anomaly-lens describe --region-of` on one of LOCO's mask
// images names its regions' defect type too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readSource } from '../../../server/dataset/readers';
import { parseDefectsConfig } from '../../../server/dataset/readers/defectsConfig';
import { runCli } from '../eval/colourFixtures';
import { LOCO_DEFECTS, writeLocoMask, writeLocoObject } from './locoFixtures';
import { readUnchanged } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'al-loco-'));
after(() => rmSync(root, { recursive: true, force: true }));
const source = join(root, 'mvtec_loco');
let object: string;

before(async () => {
  object = await writeLocoObject(source);
});

interface RegionLine {
  bbox: number[];
  area: number;
  defect: string;
  classId?: number;
}
interface RecordLine {
  image: string;
  object: string;
  defect: string;
  regions: RegionLine[];
}

const rel = (path: string) => relative(source, path).split('\\').join('/');

describe('MVTec LOCO AD reader', () => {
  it('pairs each anomalous image with all its mask images, in order, and names their values by defects_config.json', async () => {
    const ds = await readUnchanged(source);
    assert.equal(ds.kind, 'mvtec');
    assert.deepEqual(ds.problems, []);
    const anomalous = ds.samples.filter((s) => s.defect !== 'good');
    assert.deepEqual(
      anomalous.map((s) => [rel(s.image), (s.masks ?? [s.mask as string]).map(rel)]),
      [
        ['breakfast_box/test/logical_anomalies/000.png', ['breakfast_box/ground_truth/logical_anomalies/000/000.png', 'breakfast_box/ground_truth/logical_anomalies/000/001.png']],
        ['breakfast_box/test/logical_anomalies/001.png', ['breakfast_box/ground_truth/logical_anomalies/001/000.png']],
        ['breakfast_box/test/structural_anomalies/000.png', ['breakfast_box/ground_truth/structural_anomalies/000/000.png']],
      ],
    );
    for (const s of ds.samples) assert.deepEqual(s.classNames, { 255: 'missing_almonds', 254: 'box_damaged', 253: 'too_many_oranges' });
    const good = ds.samples.filter((s) => s.defect === 'good').map((s) => `${rel(s.image)} ${s.split}`);
    assert.deepEqual(good.sort(), ['breakfast_box/test/good/000.png test', 'breakfast_box/train/good/000.png train-good', 'breakfast_box/train/good/001.png train-good', 'breakfast_box/validation/good/000.png val']);
  });

  it('reports an image without its mask folder and a mask folder without its image, naming the paths', async () => {
    const odd = join(root, 'odd');
    const dir = await writeLocoObject(odd);
    rmSync(join(dir, 'ground_truth', 'logical_anomalies', '001'), { recursive: true });
    rmSync(join(dir, 'test', 'structural_anomalies', '000.png'));
    const ds = await readSource(odd);
    const messages = ds.problems.map((p) => `${relative(odd, p.file)}: ${p.message}`);
    assert.ok(messages.some((m) => /^breakfast_box\/test\/logical_anomalies\/001\.png: image without masks: expected the folder .*ground_truth\/logical_anomalies\/001 /.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^breakfast_box\/ground_truth\/structural_anomalies\/000: masks without image: expected 000\.png at .*test\/structural_anomalies\/000\.png/.test(m)), messages.join('\n'));
    assert.equal(ds.samples.filter((s) => s.defect !== 'good').length, 1);
  });

  it('checks defects_config.json: a list of defect types with their pixel values', () => {
    assert.deepEqual(parseDefectsConfig(LOCO_DEFECTS), { 255: 'missing_almonds', 254: 'box_damaged', 253: 'too_many_oranges' });
    assert.match(String(parseDefectsConfig({ '255': 'x' })), /expected a list of defect types/);
    assert.match(String(parseDefectsConfig([{ defect_name: 'a', pixel_value: 0 }])), /entry 1 \("a"\): "pixel_value" is not a mask value/);
    assert.match(String(parseDefectsConfig([{ pixel_value: 3 }])), /entry 1: "defect_name" is not a defect name/);
    assert.match(String(parseDefectsConfig([{ defect_name: 'a', pixel_value: 3 }, { defect_name: 'b', pixel_value: 3 }])), /pixel value 3 is given to both "a" and "b"/);
  });
});

describe('anomaly-lens build on an MVTec LOCO AD source', () => {
  it("splits each mask image into regions named by their defect type; an image's regions are those of all its masks", () => {
    const out = join(root, 'built');
    const run = runCli(['build', source, '--out', out, '--workers', '1']);
    assert.equal(run.code, 0, run.stderr);
    const records = readFileSync(join(out, 'test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordLine);
    const byImage = Object.fromEntries(records.map((r) => [`${r.defect}/${r.image.split('/').pop()?.split('.')[0]}`, r.regions.map((g) => [g.defect, g.classId, g.area]).sort()]));
    assert.deepEqual(byImage, {
      'logical_anomalies/000': [['missing_almonds', 255, 80], ['too_many_oranges', 253, 144]],
      'logical_anomalies/001': [['missing_almonds', 255, 64]],
      'structural_anomalies/000': [['box_damaged', 254, 36], ['box_damaged', 254, 48]],
    });
    const dataset = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as { defects: unknown };
    assert.match(JSON.stringify(dataset.defects), /missing_almonds/);
    assert.doesNotMatch(run.stderr, /warning|error/);
  });

  it("rebuilds an image when any of its mask images changes, not only its first", async () => {
    const src = join(root, 'changing');
    const dir = await writeLocoObject(src);
    const out = join(root, 'built-changing');
    assert.equal(runCli(['build', src, '--out', out, '--workers', '1']).code, 0);
    await writeLocoMask(join(dir, 'ground_truth', 'logical_anomalies', '000', '001.png'), { value: 253, rects: [{ x: 40, y: 20, w: 14, h: 12 }] });
    const run = runCli(['build', src, '--out', out, '--workers', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /3 anomalous images in .*: 1 processed .*, 2 from the build cache/);
    const record = readFileSync(join(out, 'test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordLine).find((r) => r.defect === 'logical_anomalies' && r.regions.length === 2);
    assert.deepEqual(record?.regions.map((g) => [g.defect, g.area]).sort(), [['missing_almonds', 80], ['too_many_oranges', 168]]);
  });

  it('reports a malformed defects_config.json by name and builds on with binary masks', () => {
    const bad = join(root, 'bad');
    return writeLocoObject(bad, 'breakfast_box', { missing_almonds: 255 }).then(() => {
      const out = join(root, 'built-bad');
      const run = runCli(['build', bad, '--out', out, '--workers', '1']);
      assert.match(run.stderr, /breakfast_box\/defects_config\.json: malformed defect types \(expected a list of defect types/);
      const records = readFileSync(join(out, 'test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RecordLine);
      assert.equal(records.length, 3);
      for (const r of records) for (const g of r.regions) assert.equal(g.defect, r.defect);
    });
  });
});

describe('anomaly-lens describe --region-of on an MVTec LOCO AD mask image', () => {
  it("names the region's defect type from defects_config.json, without a warning", () => {
    const image = join(object, 'test', 'logical_anomalies', '000.png');
    const mask = join(object, 'ground_truth', 'logical_anomalies', '000', '001.png');
    const run = runCli(['describe', image, '--region-of', mask, '--top', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.ok(run.stdout.includes(`class ids named by ${join(object, 'defects_config.json')}`), run.stdout);
    assert.match(run.stdout, /^region 1: too_many_oranges \(mask value 253\), 1 of 1 in the mask, 144 px/m);
  });

  it('warns about a malformed defects_config.json once, naming it, and reads the mask as binary', () => {
    const other = join(root, 'other');
    return writeLocoObject(other, 'breakfast_box', [{ defect_name: 'a' }]).then(() => {
      const dir = join(other, 'breakfast_box');
      const run = runCli(['describe', join(dir, 'test', 'logical_anomalies', '000.png'), '--region-of', join(dir, 'ground_truth', 'logical_anomalies', '000', '000.png')]);
      assert.equal(run.code, 0, run.stderr);
      const warnings = run.stderr.split('\n').filter(Boolean);
      assert.equal(warnings.length, 1, run.stderr);
      assert.match(warnings[0], /defects_config\.json: malformed defect types \(entry 1 \("a"\): "pixel_value" is not a mask value/);
      assert.match(run.stdout, /^region 1: 1 of 1 in the mask, 80 px/m);
    });
  });
});
