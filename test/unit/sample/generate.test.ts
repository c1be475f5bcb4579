// The written sample dataset, read back from disk: layouts, masks against the plan,
// class_ids.json, sample.json, determinism.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readMask } from '../../../server/image/mask';
import { splitMask } from '../../../server/masks/split';
import { SAMPLE_OBJECTS, classValue } from '../../../server/sample/catalog';
import { generateSample, type GenerateResult } from '../../../server/sample/generate';
import { planSample, type PlannedImage } from '../../../server/sample/plan';
import { chebyshevGap, components8, listFiles, treeHashes, withTempDir } from './helpers';

const OPTIONS = { seed: 7, scale: 0.15, size: 128 };
let root: string;
let out: string;
let result: GenerateResult;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'anomaly-lens-sample-'));
  out = join(root, 'sample');
  result = await generateSample(out, { ...OPTIONS, workers: 0 });
});

after(() => rmSync(root, { recursive: true, force: true }));

function paths(image: PlannedImage): { image: string; mask?: string } {
  const o = image.object.name;
  if (image.layout === 'synthetic') return { image: `synthetic/${o}/${image.folder}/image/${image.index}.jpg`, mask: `synthetic/${o}/${image.folder}/mask/${image.index}.png` };
  const stem = String(image.index).padStart(3, '0');
  const img = `mvtec/${o}/${image.split}/${image.folder}/${stem}.png`;
  return image.folder === 'good' ? { image: img } : { image: img, mask: `mvtec/${o}/ground_truth/${image.folder}/${stem}_mask.png` };
}

test('the output holds exactly the planned files in the AnomalyDiffusion and MVTec AD layouts', () => {
  const expected = new Set(['sample.json']);
  for (const object of SAMPLE_OBJECTS) {
    expected.add(`synthetic/${object.name}/class_ids.json`);
    expected.add(`mvtec/${object.name}/class_ids.json`);
  }
  for (const image of planSample(OPTIONS)) {
    const p = paths(image);
    expected.add(p.image);
    if (p.mask) expected.add(p.mask);
  }
  assert.deepEqual(listFiles(out), [...expected].sort());
  const patterns = [
    /^sample\.json$/,
    /^(synthetic|mvtec)\/[a-z_]+\/class_ids\.json$/,
    /^synthetic\/[a-z_]+\/[a-z_]+\/image\/\d+\.jpg$/,
    /^synthetic\/[a-z_]+\/[a-z_]+\/mask\/\d+\.png$/,
    /^mvtec\/[a-z_]+\/train\/good\/\d{3}\.png$/,
    /^mvtec\/[a-z_]+\/test\/[a-z_]+\/\d{3}\.png$/,
    /^mvtec\/[a-z_]+\/ground_truth\/[a-z_]+\/\d{3}_mask\.png$/,
  ];
  for (const file of listFiles(out)) assert.ok(patterns.some((p) => p.test(file)), `unexpected path ${file}`);
  assert.ok(!listFiles(out).some((f) => /^synthetic\/[^/]+\/good\//.test(f)), 'the synthetic layout holds only anomalies, like AnomalyDiffusion output');
});

test('every image is 128×128 RGB and every mask an 8-bit single-channel PNG of the same size', async () => {
  for (const image of planSample(OPTIONS)) {
    const p = paths(image);
    const meta = await sharp(join(out, p.image)).metadata();
    assert.equal(meta.format, image.layout === 'synthetic' ? 'jpeg' : 'png', p.image);
    assert.deepEqual([meta.width, meta.height, meta.channels], [128, 128, 3], p.image);
    if (!p.mask) continue;
    const m = await sharp(join(out, p.mask)).metadata();
    assert.deepEqual([m.format, m.width, m.height, m.channels, m.depth], ['png', 128, 128, 1, 'uchar'], p.mask);
  }
});

test('each mask has one 8-connected component per planned region, of its class value, separated and large enough', async () => {
  let checked = 0;
  for (const image of planSample(OPTIONS)) {
    const p = paths(image);
    if (!p.mask) continue;
    const { data, info } = await sharp(join(out, p.mask)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const ccs = components8(new Uint8Array(data), info.width, info.height);
    assert.equal(ccs.length, image.defects.length, `${p.mask}: ${ccs.length} components, ${image.defects.length} regions drawn`);
    for (const cc of ccs) {
      assert.equal(cc.values.size, 1, `${p.mask}: a component mixes class values`);
      assert.ok(cc.pixels.length >= 30, `${p.mask}: a region of ${cc.pixels.length} px`);
    }
    const found = ccs.map((cc) => [...cc.values][0]).sort();
    const planned = image.defects.map((d) => classValue(image.object, d)).sort();
    assert.deepEqual(found, planned, `${p.mask}: class values of the regions`);
    for (let i = 0; i < ccs.length; i++) {
      for (let j = i + 1; j < ccs.length; j++) assert.ok(chebyshevGap(ccs[i].pixels, ccs[j].pixels, info.width) >= 4, `${p.mask}: regions ${i} and ${j} closer than a 3-pixel gap`);
    }
    checked++;
  }
  assert.ok(checked > 150);
});

test('the product\'s mask reader and DBSCAN splitter (eps 1.5) find exactly the planned regions, per class and as one binary mask', async () => {
  for (const image of planSample(OPTIONS)) {
    const p = paths(image);
    if (!p.mask) continue;
    const { mask, warnings } = await readMask(join(out, p.mask), { classIds: true });
    assert.deepEqual(warnings, []);
    const perClass = splitMask(mask, { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, perClass: true });
    assert.deepEqual(perClass.regions.map((r) => r.classId).sort(), image.defects.map((d) => classValue(image.object, d)).sort(), p.mask);
    assert.equal(perClass.noise, 0);
    const binary = splitMask(mask, { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, perClass: false });
    assert.equal(binary.regions.length, image.defects.length, p.mask);
  }
});

test('combined folders hold images with regions of several defect types; other folders one type, named by the folder', () => {
  const plan = planSample(OPTIONS).filter((i) => i.defects.length > 0);
  const combined = plan.filter((i) => i.folder === 'combined');
  assert.ok(combined.length >= 20);
  for (const image of combined) assert.ok(new Set(image.defects).size >= 2);
  for (const image of plan.filter((i) => i.folder !== 'combined')) assert.ok(image.defects.every((d) => d === image.folder));
  const counts = plan.map((i) => i.defects.length);
  assert.equal(Math.min(...counts), 1);
  assert.equal(Math.max(...counts), 7);
});

test('class_ids.json maps 255, 254, … to the object\'s defect types and "0" to good, as MVTec 3D-AD writes it', () => {
  for (const object of SAMPLE_OBJECTS) {
    for (const layout of ['synthetic', 'mvtec']) {
      const text = readFileSync(join(out, layout, object.name, 'class_ids.json'), 'utf8');
      const keys = [...text.matchAll(/"(\d+)":/g)].map((m) => m[1]);
      assert.deepEqual(keys, [...object.defects.map((_, i) => String(255 - i)), '0'], `${layout}/${object.name}`);
      const map = JSON.parse(text) as Record<string, string>;
      assert.equal(map['0'], 'good');
      object.defects.forEach((d, i) => assert.equal(map[String(255 - i)], d));
    }
  }
});

test('sample.json records the seed, objects, counts and folders of what was written', () => {
  const manifest = JSON.parse(readFileSync(join(out, 'sample.json'), 'utf8'));
  assert.equal(manifest.format, 'anomaly-lens-sample');
  assert.equal(manifest.complete, true);
  assert.deepEqual([manifest.seed, manifest.scale, manifest.size], [7, 0.15, 128]);
  assert.deepEqual(manifest, JSON.parse(JSON.stringify(result.manifest)));
  const plan = planSample(OPTIONS);
  for (const layout of ['synthetic', 'mvtec'] as const) {
    const mine = plan.filter((i) => i.layout === layout);
    assert.equal(manifest.counts[layout].images, mine.length);
    assert.equal(manifest.counts[layout].regions, mine.reduce((s, i) => s + i.defects.length, 0));
    assert.equal(manifest.counts[layout].combined, mine.filter((i) => i.folder === 'combined').length);
    const files = listFiles(join(out, layout)).filter((f) => /\.(jpg|png)$/.test(f) && !/(mask|ground_truth)\//.test(f));
    assert.equal(files.length, manifest.counts[layout].images);
  }
  const shared = SAMPLE_OBJECTS.flatMap((o) => o.defects).filter((d, i, all) => all.indexOf(d) !== i);
  assert.ok(new Set(shared).size >= 4, 'defect types recur across objects');
});

test('the same seed gives byte-identical files (with or without worker threads); another seed different ones', async () => {
  await withTempDir(async (dir) => {
    await generateSample(join(dir, 'again'), { ...OPTIONS, workers: 2 });
    assert.deepEqual(treeHashes(join(dir, 'again')), treeHashes(out));
    await generateSample(join(dir, 'other'), { ...OPTIONS, seed: 8, workers: 0 });
    const mine = treeHashes(out);
    const other = treeHashes(join(dir, 'other'));
    const images = [...mine.keys()].filter((f) => f.endsWith('.png') || f.endsWith('.jpg'));
    const same = images.filter((f) => other.get(f) === mine.get(f));
    assert.ok(same.length < images.length / 20, `${same.length} of ${images.length} images equal under another seed`);
  });
});
