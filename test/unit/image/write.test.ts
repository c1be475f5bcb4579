import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { readMask } from '../../../server/image/mask';
import { writeLabelMaskPng, writeRegionPng } from '../../../server/image/write';
import { useTempDir } from './tempDir';

describe('writing masks', () => {
  const at = useTempDir('write');

  it('writes a region as an 8-bit grey 0/255 PNG of the image size', async () => {
    const pixels = Uint32Array.from([0, 8, 20, 34]);
    await writeRegionPng(at('regions/region.png'), 7, 5, pixels);
    const metadata = await sharp(at('regions/region.png')).metadata();
    assert.deepEqual([metadata.format, metadata.width, metadata.height, metadata.channels, metadata.depth], ['png', 7, 5, 1, 'uchar']);
    const raw = await sharp(at('regions/region.png')).toColourspace('b-w').raw().toBuffer();
    assert.deepEqual(Array.from(raw).flatMap((v, i) => (v === 255 ? [i] : [])), Array.from(pixels));
    assert.ok(raw.every((v) => v === 0 || v === 255));
    const back = await readMask(at('regions/region.png'));
    assert.deepEqual(back.distinctValues, [0, 255]);
    assert.deepEqual(back.warnings, []);
  });

  it('leaves an existing file as it was and no temporary file behind when writing fails', async () => {
    await writeRegionPng(at('keep.png'), 4, 4, Uint32Array.from([5]));
    const before = readFileSync(at('keep.png'));
    await assert.rejects(writeRegionPng(at('keep.png'), 4, 4, Uint32Array.from([3, 16])), /pixel index 16 outside a 4x4 image/);
    assert.deepEqual(readFileSync(at('keep.png')), before);
    assert.deepEqual(readdirSync(at()).filter((name) => name.startsWith('.')), []);
  });

  it('writes label masks at 8 bits when the values fit, 16 bits otherwise, and they read back as class ids', async () => {
    for (const [name, top] of [['labels8.png', 254], ['labels16.png', 40000]] as const) {
      const values = Uint16Array.from([0, 1, 2, top, 0, 7]);
      await writeLabelMaskPng(at(name), { width: 3, height: 2, values });
      assert.equal((await sharp(at(name)).metadata()).depth, top > 255 ? 'ushort' : 'uchar');
      const back = await readMask(at(name), { classIds: true });
      assert.deepEqual(Array.from(back.mask.values), Array.from(values));
    }
  });
});
