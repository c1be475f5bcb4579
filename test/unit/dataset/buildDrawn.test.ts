// Building from drawn regions (COCO, LabelMe): a region that does not fit its image is reported
// naming the annotation file and left out, the image's other regions are kept, and a rebuild
// that takes the image from the build cache reports it again.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildDataset } from '../../../server/dataset/build';
import { rleFromPixels } from '../../../server/masks/rle';
import { HEIGHT, WIDTH, block } from '../readers/annotationExports';

describe('build from drawn regions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-drawn-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a region that does not fit its image, keeps the others, and reports it again from the cache', async () => {
    const source = join(dir, 'source');
    mkdirSync(source);
    await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toFile(join(source, 'tile.png'));
    const file = join(source, 'annotations.json');
    writeFileSync(
      file,
      JSON.stringify({
        images: [{ id: 1, file_name: 'tile.png' }],
        categories: [{ id: 1, name: 'crack', supercategory: 'tile' }],
        annotations: [
          { id: 1, image_id: 1, category_id: 1, segmentation: [[2, 2, 12, 2, 12, 10, 2, 10]] },
          { id: 2, image_id: 1, category_id: 1, segmentation: { size: [HEIGHT, WIDTH], counts: rleFromPixels(block(1, 1, 3, 3), WIDTH, HEIGHT) } },
          { id: 3, image_id: 1, category_id: 1, segmentation: [[40, 40, 50, 40, 50, 50]] },
        ],
      }),
    );
    const out = join(dir, 'dataset');
    const expected = [
      { file, message: `annotation 2 of annotations.json: its run-length mask is ${HEIGHT}×${WIDTH} (height×width) but the image is 32×32; region skipped`, severity: 'error' },
      { file, message: 'annotation 3 of annotations.json ("crack") covers no pixel of the 32×32 image; region skipped', severity: 'warning' },
    ];
    for (const run of ['first', 'cached']) {
      const result = await buildDataset({ sources: [{ root: source }], out, workers: 0 });
      assert.deepEqual(result.problems, expected, run);
      assert.equal(result.images.cached, run === 'cached' ? 1 : 0);
      assert.deepEqual(result.counts.test, { images: 1, regions: 1 });
      assert.equal(result.errors, 1);
    }
  });
});
