import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { readImageInfo } from '../../../server/image/read';
import { UserError } from '../../../server/util/errors';
import { SAMPLE } from '../masks/sample';
import { writePngFixture } from './pngFixture';
import { useTempDir } from './tempDir';

describe('readImageInfo', () => {
  const at = useTempDir('image');

  it('describes the sample JPEG and PNG images', async () => {
    assert.deepEqual(await readImageInfo(join(SAMPLE, 'otx_hazelnut/test/colour/000.jpg')), { width: 512, height: 512, channels: 3, depth: 8, format: 'jpeg' });
    assert.deepEqual(await readImageInfo(join(SAMPLE, 'tire/test/cut/009.png')), { width: 600, height: 800, channels: 3, depth: 8, format: 'png' });
    assert.deepEqual(await readImageInfo(join(SAMPLE, 'tire/ground_truth/cut/009_mask.png')), { width: 600, height: 800, channels: 1, depth: 8, format: 'png' });
  });

  it('reports 16-bit depth and alpha channels', async () => {
    writePngFixture(at('grey16.png'), 3, 2, 'grey', 16, [0, 1, 2, 3, 4, 65535]);
    assert.deepEqual(await readImageInfo(at('grey16.png')), { width: 3, height: 2, channels: 1, depth: 16, format: 'png' });
    writePngFixture(at('rgba.png'), 2, 1, 'rgba', 8, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(await readImageInfo(at('rgba.png')), { width: 2, height: 1, channels: 4, depth: 8, format: 'png' });
  });

  it('decodes the whole image, so a truncated JPEG or PNG fails, naming the file', async () => {
    const jpeg = readFileSync(join(SAMPLE, 'otx_hazelnut/test/colour/000.jpg'));
    writeFileSync(at('cut.jpg'), jpeg.subarray(0, Math.floor(jpeg.length * 0.7)));
    const png = await sharp(join(SAMPLE, 'tire/test/cut/009.png')).png().toBuffer();
    writeFileSync(at('cut.png'), png.subarray(0, Math.floor(png.length * 0.7)));
    for (const file of [at('cut.jpg'), at('cut.png')]) {
      assert.equal((await sharp(file).metadata()).width > 0, true, 'the header alone still reads');
      await assert.rejects(readImageInfo(file), (err: unknown) => err instanceof UserError && err.message.startsWith(`${file}: corrupt or truncated image`));
    }
  });

  it('rejects empty, non-image and missing files with a UserError naming the file', async () => {
    writeFileSync(at('empty.jpg'), '');
    writeFileSync(at('notes.jpg'), 'these are notes');
    const cases: [string, RegExp][] = [
      [at('empty.jpg'), /empty file/],
      [at('notes.jpg'), /not an image/],
      [at('none.jpg'), /no such file/],
    ];
    for (const [file, problem] of cases) {
      await assert.rejects(readImageInfo(file), (err: unknown) => err instanceof UserError && err.message.startsWith(`${file}: `) && problem.test(err.message));
    }
  });
});
