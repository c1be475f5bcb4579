// COCO (CVAT, Label Studio, pycocotools) and LabelMe sources: detected, each annotation read as
// one region with its label, bad entries reported naming the file, the source never changed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { drawnPixels } from '../../../server/masks/drawn';
import { readSource } from '../../../server/dataset/readers';
import { guessLayout } from '../../../server/dataset/readers/layouts';
import type { SourceDataset } from '../../../server/dataset/types';
import { HEIGHT, WIDTH, block, writeCvatExport, writeImage, writeLabelStudioExport, writeLabelmeFolder, writePycocotoolsExport } from './annotationExports';
import { readUnchanged, treeMaker } from './helpers';

const makeTree = treeMaker('al-annotations-');

/** One line per sample: image, object, defect, and each region as `defect:pixels`. */
function regions(ds: SourceDataset): string[] {
  return ds.samples.map((s) => {
    const drawn = (s.drawn?.regions ?? []).map((r) => `${r.defect}${r.description ? `="${r.description}"` : ''}:${drawnPixels(r.parts, WIDTH, HEIGHT).length}`);
    return `${basename(s.image)} ${s.object} ${s.defect} [${drawn.join(' ')}]`;
  });
}

describe('COCO sources', () => {
  it("reads CVAT's COCO 1.0 export: polygons and uncompressed masks, each one region, the folder's name as object", async () => {
    const root = await makeTree({});
    await writeCvatExport(root);
    const ds = await readUnchanged(root);
    assert.equal(ds.kind, 'coco');
    assert.deepEqual(ds.problems, []);
    const object = basename(root);
    assert.deepEqual(regions(ds), [`board_01.png ${object} anomaly [scratch:160 stain:${12 * 9}]`, `board_02.png ${object} good []`]);
    assert.equal(ds.samples[0].drawn?.file, join(root, 'annotations', 'instances_default.json'));
  });

  it("reads Label Studio's export: ids from 0, Windows file names, a rectangle as its box", async () => {
    const root = await makeTree({});
    await writeLabelStudioExport(root);
    const ds = await readUnchanged(root);
    assert.equal(ds.kind, 'coco');
    assert.deepEqual(ds.problems, []);
    const [line] = regions(ds);
    assert.match(line, new RegExp(`^5f2c9a1e-pill_07\\.jpg ${basename(root)} anomaly \\[crack:\\d+ contamination:48\\]$`));
    const crack = Number(/crack:(\d+)/.exec(line)?.[1]);
    // The triangle's own area is 231.2 pixels.
    assert.ok(Math.abs(crack - 231.2) < 25, `${crack}`);
  });

  it('reads compressed string counts and takes the supercategory as the object', async () => {
    const root = await makeTree({});
    await writePycocotoolsExport(root);
    const ds = await readUnchanged(root);
    assert.deepEqual(ds.problems, []);
    assert.deepEqual(regions(ds), ['img_a.png carpet hole [hole:100 hole:120]']);
  });

  it('reports each bad entry naming the file and the entry, and reads the rest', async () => {
    const root = await makeTree({});
    await writeImage(join(root, 'a.png'));
    await writeImage(join(root, 'b.png'), 2);
    const file = join(root, 'annotations.json');
    const counts = [...block(0, 0, 4, 4)];
    writeFileSync(
      file,
      JSON.stringify({
        images: [
          { id: 1, file_name: 'a.png', width: WIDTH, height: HEIGHT },
          { id: 2, file_name: 'missing.png', width: WIDTH, height: HEIGHT },
          { id: 3, file_name: 'b.png', width: WIDTH, height: HEIGHT },
        ],
        categories: [{ id: 1, name: 'dent', supercategory: 'tile' }],
        annotations: [
          { id: 1, image_id: 1, category_id: 1, segmentation: [[1, 1, 9, 1, 9, 9]] },
          { id: 2, image_id: 1, category_id: 9, segmentation: [[1, 1, 9, 1, 9, 9]] },
          { id: 3, image_id: 5, category_id: 1, segmentation: [[1, 1, 9, 1, 9, 9]] },
          { id: 4, image_id: 1, category_id: 1, segmentation: [[1, 1, 9, 1]] },
          { id: 5, image_id: 1, category_id: 1, segmentation: { size: [HEIGHT, WIDTH], counts: counts.slice(0, 3) } },
          { id: 6, image_id: 1, category_id: 1, segmentation: { size: [HEIGHT, WIDTH], counts: '0`' } },
          { id: 7, image_id: 2, category_id: 1, segmentation: [[1, 1, 9, 1, 9, 9]] },
          { id: 8, image_id: 3, category_id: 1, segmentation: { size: [10, 10], counts: [100] } },
        ],
      }),
    );
    const ds = await readUnchanged(root);
    const messages = ds.problems.map((p) => `${p.file === file ? 'annotations.json' : p.file}: ${p.message}`);
    assert.deepEqual(messages, [
      'annotations.json: annotation 2 names category id 9, which "categories" does not list; skipped',
      'annotations.json: annotation 3 names image id 5, which "images" does not list; skipped',
      'annotations.json: annotation 4 (image a.png): segmentation[0] has 4 numbers; a polygon needs pairs of x, y for at least 3 points; skipped',
      `annotations.json: annotation 5 (image a.png): its run-length segmentation is malformed: its runs cover ${counts.slice(0, 3).reduce((a, b) => a + b, 0)} pixels, but ${HEIGHT}×${WIDTH} is ${WIDTH * HEIGHT}; skipped`,
      'annotations.json: annotation 6 (image a.png): its compressed counts cannot be read: the compressed counts end in the middle of a number; skipped',
      `annotations.json: annotation 8 (image b.png): its run-length segmentation is 10×10 (height×width) but the image is listed as ${HEIGHT}×${WIDTH}; skipped`,
      `annotations.json: image missing.png (id 2) not found (looked at missing.png, images/missing.png); its 1 annotation(s) skipped`,
    ]);
    assert.deepEqual(regions(ds), ['a.png tile dent [dent:36]', 'b.png tile good []']);
  });

  it('refuses a source whose only annotation file is not COCO, naming it', async () => {
    const root = await makeTree({});
    mkdirSync(join(root, 'images'));
    writeFileSync(join(root, 'result.json'), '{"tasks": []}');
    await assert.rejects(readSource(root), (err: Error) => err.message === `${join(root, 'result.json')}: not a COCO annotation file (expected an object with "images", "annotations" and "categories" lists); file skipped`);
  });
});

describe('LabelMe sources', () => {
  it('reads polygons, rectangles, circles and groups as regions with their labels; a file without shapes is a normal image', async () => {
    const root = await makeTree({});
    await writeLabelmeFolder(root);
    const ds = await readUnchanged(root);
    assert.equal(ds.kind, 'labelme');
    const json = join(root, 'capsule', '001.json');
    assert.deepEqual(
      ds.problems.map((p) => [p.file, p.message]),
      [
        [json, 'shape 5 ("poke"): shape type "line" has no area (polygon, rectangle and circle are read); skipped'],
        [join(root, 'capsule', '003.png'), '1 image(s) in capsule have no LabelMe file; ignored (save an annotation without shapes to mark an image normal)'],
      ],
    );
    const circle = drawnPixels([{ kind: 'circle', cx: 45, cy: 30, r: 4 }], WIDTH, HEIGHT).length;
    const triangle = drawnPixels([{ kind: 'polygon', points: [50, 2, 60, 2, 60, 8] }], WIDTH, HEIGHT).length;
    assert.deepEqual(regions(ds), [`001.png capsule anomaly [crack:108 squeeze:80 faulty_imprint:${circle} crack:${triangle + 60}]`, '002.png capsule good []']);
  });
});

describe('detection', () => {
  it('guesses COCO and LabelMe from the names, as the build detects them', () => {
    const listing = (dirs: Record<string, string[]>, files: string[]) => ({ dirs: new Map(Object.entries(dirs)), files: new Set(files) });
    assert.equal(guessLayout(listing({ '': ['annotations', 'images'] }, ['annotations/instances_default.json'])), 'coco');
    assert.equal(guessLayout(listing({ '': ['images'] }, ['result.json'])), 'coco');
    assert.equal(guessLayout(listing({ '': [] }, ['annotations.json', 'a.png'])), 'coco');
    assert.equal(guessLayout(listing({ '': ['capsule'], capsule: [] }, ['capsule/001.png', 'capsule/001.json'])), 'labelme');
    assert.equal(guessLayout(listing({ '': [] }, ['001.jpg', '001.json'])), 'labelme');
    assert.equal(guessLayout(listing({ '': ['scratch'], scratch: [] }, ['scratch/001.png'])), 'generic');
  });
});
