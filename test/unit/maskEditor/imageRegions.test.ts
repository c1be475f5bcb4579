// The mask editor's files: an image's regions are found by the dataset's conventions (a built
// dataset's record, MVTec ground truth with class ids), read into the document, and saved back —
// a built dataset through its lock and switch (it still validates, counts follow, old masks go,
// the source stays untouched), a source mask in place with its class ids.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJson, ensureBuilt, readJsonl, runCli, sharedDir, treeDigest } from '../dataset/cli';
import { withTempDir } from '../dataset/fixtures';
import { writeBlobSource } from '../dataset/blobSource';
import { findRegionsSource, loadImageRegions, saveImageRegions } from '../../../server/editor/imageRegions';
import { readMask } from '../../../server/image/mask';
import type { ImageRecord } from '../../../server/dataset/format';
import type { MaskEdit } from '../../../server/editor/maskDocument/types';
import { VISA_TREE, writeTree } from '../../fixtures/makeSources';

before(ensureBuilt);

function disc(width: number, cx: number, cy: number, r: number): number[] {
  const out: number[] = [];
  for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) out.push(y * width + x);
  return out;
}

describe('mask editor files', () => {
  it('a built dataset image: its record\'s regions load; a new region and a merge save as a valid dataset', async () => {
    await withTempDir('editor', async (dir) => {
      const src = join(dir, 'src');
      const out = join(dir, 'out');
      await writeBlobSource(src, 'crack', 3);
      assert.equal(buildJson([src, '--out', out]).code, 0);
      const sourceDigest = treeDigest(src);
      const [record] = readJsonl<ImageRecord>(join(out, 'test.jsonl'));
      const image = join(out, record.image);

      const source = await findRegionsSource(image);
      assert.equal(source.kind, 'dataset');
      const loaded = await loadImageRegions(image, source);
      assert.deepEqual(loaded.model.facts().map((f) => [f.area, f.bbox]), record.regions.map((r) => [r.area, r.bbox]));
      assert.deepEqual(loaded.model.regions().map((r) => r.description), record.regions.map((r) => r.description));

      const { model } = loaded;
      const created = model.create({ defect: 'crack', description: record.regions[0].description });
      model.apply(created);
      const id = created.regionsAfter[0].id;
      model.apply(model.paint(id, disc(loaded.width, 5, 5, 3)) as MaskEdit);
      const before = record.regions.length + 1;
      if (model.regions().length >= 3) model.apply(model.merge([1, 2]));
      const expected = model.regions().length;
      assert.ok(expected >= before - 1);

      const saved = await saveImageRegions(loaded);
      assert.equal(saved.source.kind, 'dataset');
      const after = readJsonl<ImageRecord>(join(out, 'test.jsonl'));
      const updated = after.find((r) => r.image === record.image) as ImageRecord;
      assert.equal(updated.regions.length, expected);
      assert.deepEqual(updated.regions.map((r) => [r.area, r.bbox]), model.facts().map((f) => [f.area, f.bbox]));
      const manifest = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8'));
      assert.equal(manifest.counts.test.regions, after.reduce((n, r) => n + r.regions.length, 0));
      const validate = runCli(['validate', out]);
      assert.equal(validate.code, 0, validate.stdout);
      for (const old of record.regions.map((r) => r.mask)) {
        if (!updated.regions.some((r) => r.mask === old)) assert.ok(!existsSync(join(out, old)), `${old} is no longer used and was removed`);
      }
      assert.deepEqual(treeDigest(src), sourceDigest, 'the source dataset is not written');

      const reloaded = await loadImageRegions(image, await findRegionsSource(image));
      assert.deepEqual(Array.from(reloaded.model.labels, (v) => v !== 0), Array.from(model.labels, (v) => v !== 0), 'saved pixels read back');

      // A description typed in the editor becomes a class of its own (curated), and the dataset stays valid.
      const [firstRegion] = reloaded.model.regions();
      reloaded.model.apply(reloaded.model.describe(firstRegion.id, { description: 'oily smear on part' }) as MaskEdit);
      await saveImageRegions(reloaded);
      assert.equal(runCli(['validate', out]).code, 0, 'a new description keeps the dataset valid');
      const entries = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')).descriptions as { object: string; defect: string; text: string; provenance: { kind: string } }[];
      const added = entries.find((d) => d.text === 'oily smear on part');
      assert.deepEqual(added && [added.object, added.defect, added.provenance.kind], [record.object, 'oily_smear_on_part', 'curated']);
    });
  });

  it('a VisA image: the mask its split_csv row names, its defect from image_anno.csv', async () => {
    await withTempDir('editor-visa', async (dir) => {
      await writeTree(dir, VISA_TREE);
      const image = join(dir, 'candle', 'Data', 'Images', 'Anomaly', '000.JPG');
      const source = await findRegionsSource(image);
      assert.deepEqual(source.kind === 'mask' && [source.mask, source.object, source.defect], [join(dir, 'candle', 'Data', 'Masks', 'Anomaly', '000.png'), 'candle', 'chunk of wax missing']);
      const loaded = await loadImageRegions(image, source);
      assert.ok(loaded.model.regions().length >= 1);
      assert.equal(loaded.model.regions()[0].defect, 'chunk of wax missing');
      assert.equal((await findRegionsSource(join(dir, 'candle', 'Data', 'Images', 'Normal', '0000.JPG'))).kind, 'none', 'a normal image has no mask');
    });
  });

  it('an MVTec test image with class ids: the ground-truth mask splits per class; saving keeps the class ids', async () => {
    await withTempDir('editor-mvtec', async (dir) => {
      cpSync(join(sharedDir, 'data', 'mvtec-sample', 'tire'), join(dir, 'tire'), { recursive: true });
      const image = join(dir, 'tire', 'test', 'combined', '000.png');
      const source = await findRegionsSource(image);
      assert.equal(source.kind, 'mask');
      assert.ok(source.kind === 'mask' && source.classNames, 'class_ids.json is read');
      const loaded = await loadImageRegions(image, source);
      const classes = new Set(loaded.model.regions().map((r) => r.classId));
      assert.ok(classes.size >= 2, 'the combined image holds several classes');
      const maskFile = join(dir, 'tire', 'ground_truth', 'combined', '000_mask.png');
      const original = (await readMask(maskFile, { classIds: true })).mask.values;

      await saveImageRegions(loaded);
      assert.deepEqual(Array.from((await readMask(maskFile, { classIds: true })).mask.values), Array.from(original), 'unchanged regions keep every value');

      const [first] = loaded.model.regions();
      const area = loaded.model.facts().find((f) => f.id === first.id)?.area ?? 0;
      loaded.model.apply(loaded.model.delete(first.id));
      await saveImageRegions(loaded);
      const now = (await readMask(maskFile, { classIds: true })).mask.values;
      const removed = Array.from(original).filter((v, i) => v !== 0 && now[i] === 0).length;
      assert.ok(area > 0);
      assert.equal(removed, area, 'exactly the deleted region\'s pixels are gone');
      assert.ok(Array.from(now).every((v, i) => v === 0 || v === original[i]), 'the other regions keep their class ids');
    });
  });
});
