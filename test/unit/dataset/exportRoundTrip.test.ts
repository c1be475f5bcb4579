// Data out and back in: a built dataset exported as COCO and built again from the export has
// the same images, regions, areas, boxes and descriptions; exported as anomalib's Folder layout
// it has each object's normal, abnormal and mask folders with masks named as their images.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeCounts, rleArea } from '../../../server/masks/rle';
import { MVTEC_SAMPLE } from '../../fixtures/makeSources';
import { ensureBuilt, runCli, treeDigest } from './cli';

interface Record {
  image: string;
  object: string;
  defect: string;
  width: number;
  height: number;
  regions: { mask: string; area: number; bbox: number[]; defect: string; description: string }[];
}

function records(dataset: string): Record[] {
  return ['train', 'val', 'test'].flatMap((split) =>
    readFileSync(join(dataset, `${split}.jsonl`), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record),
  );
}

/** What a record says of its image, independent of where the build put it. */
function essence(r: Record): string {
  const name = r.image.split('/').at(-1)?.replace(/(\.[0-9a-f]{8})+(\.[^.]+)$/, '$2');
  const regions = r.regions.map((g) => `${g.defect} "${g.description}" area ${g.area} box ${g.bbox.join(',')}`);
  return `${r.object}/${r.defect}/${name} ${r.width}x${r.height}: ${regions.join('; ')}`;
}

function cli(args: string[]): string {
  const run = runCli(args);
  assert.equal(run.code, 0, `anomaly-lens ${args.join(' ')}\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

describe('export-dataset', () => {
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'al-export-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function roundTrip(name: string, sources: string[]): void {
    const dataset = join(dir, `${name}-dataset`);
    const coco = join(dir, `${name}-coco`);
    const again = join(dir, `${name}-again`);
    cli(['build', ...sources, '--out', dataset, '--workers', '1']);
    const before = treeDigest(dataset);
    cli(['export-dataset', dataset, '--format', 'coco', '--out', coco]);
    assert.deepEqual(treeDigest(dataset), before, 'the dataset is only read');

    // The annotations are pycocotools' compressed RLE, one category per class with its description.
    const json = JSON.parse(readFileSync(join(coco, 'annotations.json'), 'utf8')) as {
      images: { id: number; file_name: string }[];
      annotations: { segmentation: { counts: string; size: number[] }; area: number; category_id: number }[];
      categories: { id: number; name: string; supercategory: string; defect: string }[];
    };
    const built = records(dataset);
    assert.equal(json.images.length, built.length);
    for (const image of json.images) assert.ok(existsSync(join(coco, image.file_name)), image.file_name);
    for (const a of json.annotations) assert.equal(rleArea(decodeCounts(a.segmentation.counts)), a.area);
    const manifest = JSON.parse(readFileSync(join(dataset, 'dataset.json'), 'utf8')) as { descriptions: { object: string; defect: string; text: string }[] };
    assert.deepEqual(
      json.categories.map((c) => `${c.supercategory}/${c.defect}: ${c.name}`).sort(),
      manifest.descriptions.map((d) => `${d.object}/${d.defect}: ${d.text}`).sort(),
    );

    const rebuilt = JSON.parse(cli(['build', coco, '--out', again, '--workers', '1', '--json'])) as { errors: number; warnings: number; sources: { kind: string }[] };
    assert.equal(rebuilt.sources[0].kind, 'coco');
    assert.equal(rebuilt.errors + rebuilt.warnings, 0);
    assert.deepEqual(records(again).map(essence).sort(), built.map(essence).sort());
  }

  it('COCO round trip on the sample dataset: the same regions, areas and descriptions', () => {
    const sample = join(dir, 'sample');
    cli(['sample', sample, '--scale', '0.05']);
    roundTrip('sample', [join(sample, 'synthetic'), join(sample, 'mvtec')]);
  });

  it('COCO round trip on the real MVTec sample', () => {
    roundTrip('mvtec', [MVTEC_SAMPLE]);
  });

  it("anomalib's Folder layout: normal images from the sources, each abnormal image with a mask of the same stem", async () => {
    const dataset = join(dir, 'mvtec-dataset');
    if (!existsSync(dataset)) cli(['build', MVTEC_SAMPLE, '--out', dataset, '--workers', '1']);
    const out = join(dir, 'anomalib');
    const run = runCli(['export-dataset', dataset, '--format', 'anomalib', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    // The sample's tire has no normal image: its folder is there, empty, and the export says so.
    assert.match(run.stderr, /^warning: .*: no normal image of tire found in the dataset's sources; tire\/normal is empty/m);
    assert.deepEqual(readdirSync(join(out, 'tire', 'normal')), []);
    assert.deepEqual(readdirSync(join(out, 'otx_hazelnut', 'normal')).sort(), readdirSync(join(MVTEC_SAMPLE, 'otx_hazelnut', 'train', 'good')).map((n) => `otx_hazelnut_train_good_${n}`).concat(readdirSync(join(MVTEC_SAMPLE, 'otx_hazelnut', 'test', 'good')).map((n) => `otx_hazelnut_test_good_${n}`)).sort());
    const built = records(dataset);
    for (const object of new Set(built.map((r) => r.object))) {
      for (const defect of readdirSync(join(out, object, 'abnormal'))) {
        const images = readdirSync(join(out, object, 'abnormal', defect)).sort();
        const masks = readdirSync(join(out, object, 'mask', defect)).sort();
        assert.deepEqual(masks, images.map((n) => n.replace(/\.[^.]+$/, '.png')));
      }
    }
    // A mask holds every region of its image (the regions a mask splits into never overlap).
    const record = built.find((r) => r.regions.length > 0) as Record;
    const name = (record.image.split('/').at(-1) as string).replace(/\.[0-9a-f]{8}(\.[^.]+)$/, '$1');
    const mask = join(out, record.object, 'mask', record.defect, name.replace(/\.[^.]+$/, '.png'));
    const { data } = await sharp(mask).greyscale().raw().toBuffer({ resolveWithObject: true });
    assert.equal(data.filter((v) => v > 0).length, record.regions.reduce((n, g) => n + g.area, 0));
  });

  it('refuses an output folder that holds other files, or lies inside the dataset, before writing anything', () => {
    const dataset = join(dir, 'mvtec-dataset');
    if (!existsSync(dataset)) cli(['build', MVTEC_SAMPLE, '--out', dataset, '--workers', '1']);
    const foreign = join(dir, 'foreign');
    mkdirSync(join(foreign, 'images'), { recursive: true });
    writeFileSync(join(foreign, 'notes.txt'), 'not an export\n');
    const before = treeDigest(foreign);
    for (const [out, says] of [
      [foreign, /holds files that are not an earlier export of this tool/],
      [join(dataset, 'export'), /is inside the dataset/],
    ] as const) {
      const run = runCli(['export-dataset', dataset, '--format', 'coco', '--out', out]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^anomaly-lens: --out ${out}: `));
      assert.match(run.stderr, says);
    }
    assert.deepEqual(treeDigest(foreign), before);
    assert.ok(!existsSync(join(dataset, 'export')));
    // An earlier export is replaced.
    const coco = join(dir, 'replaced');
    cli(['export-dataset', dataset, '--format', 'coco', '--out', coco]);
    writeFileSync(join(coco, 'stale.txt'), 'from before');
    cli(['export-dataset', dataset, '--format', 'coco', '--out', coco]);
    assert.ok(!existsSync(join(coco, 'stale.txt')));
  });
});
