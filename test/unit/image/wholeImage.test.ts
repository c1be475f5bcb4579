// The build's check that an image file is whole before it is copied: PNGs by their structure
// and chunk checksums, other formats by decoding them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { crc32Portable } from '../../../server/image/crc32';
import { checkPngStructure } from '../../../server/image/pngCheck';
import { readWholeImage } from '../../../server/image/wholeImage';
import { UserError } from '../../../server/util/errors';
import { SAMPLE } from '../masks/sample';
import { writePngFixture } from './pngFixture';
import { useTempDir } from './tempDir';

const tirePng = join(SAMPLE, 'tire/test/cut/009.png');

/** The byte offset of the first chunk of `type`. */
function chunkAt(png: Buffer, type: string): number {
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) if (png.toString('latin1', at + 4, at + 8) === type) return at;
  throw new Error(`no ${type}`);
}

describe('readWholeImage', () => {
  const at = useTempDir('whole');

  it('gives the bytes and size of whole PNG and JPEG images, as their decoder does', async () => {
    for (const file of [tirePng, join(SAMPLE, 'otx_hazelnut/test/colour/000.jpg'), join(SAMPLE, 'tire/ground_truth/cut/009_mask.png')]) {
      const image = await readWholeImage(file);
      const metadata = await sharp(file).metadata();
      assert.deepEqual([image.width, image.height], [metadata.width, metadata.height], file);
      assert.deepEqual(image.bytes, readFileSync(file));
    }
    writePngFixture(at('grey16.png'), 3, 2, 'grey', 16, [0, 1, 2, 3, 4, 65535]);
    writePngFixture(at('palette.png'), 2, 2, 'palette', 2, [0, 1, 2, 3], [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    assert.deepEqual([(await readWholeImage(at('grey16.png'))).width, (await readWholeImage(at('palette.png'))).height], [3, 2]);
  });

  it('finds a truncated PNG, a damaged byte anywhere in it and a missing end, naming the file', async () => {
    const png = readFileSync(tirePng);
    const idat = chunkAt(png, 'IDAT');
    const flipped = Buffer.from(png);
    flipped[idat + 8 + 1000] ^= 0x10;
    const header = Buffer.from(png);
    header[16 + 3] ^= 1; // the width, inside IHDR
    // The decoder refuses each of these too, except a file cut just before IEND, which the
    // PNG rules still make incomplete.
    const cases: [string, Buffer, RegExp, boolean][] = [
      ['cut.png', png.subarray(0, Math.floor(png.length * 0.7)), /ends inside chunk IDAT/, true],
      ['flipped.png', flipped, /chunk IDAT at byte \d+ fails its CRC check/, true],
      ['header.png', header, /chunk IHDR at byte 8 fails its CRC check/, true],
      ['no-end.png', png.subarray(0, chunkAt(png, 'IEND')), /ends before IEND/, false],
    ];
    for (const [name, bytes, why, decoderRefuses] of cases) {
      writeFileSync(at(name), bytes);
      await assert.rejects(readWholeImage(at(name)), (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.ok(err.message.startsWith(`${at(name)}: corrupt or truncated image (`), err.message);
        assert.match(err.message, why);
        return true;
      });
      if (decoderRefuses) await assert.rejects(sharp(bytes, { failOn: 'error' }).raw().toBuffer(), `${name}: the decoder refuses it too`);
    }
  });

  it('decodes other formats in full: a truncated JPEG fails', async () => {
    const jpeg = readFileSync(join(SAMPLE, 'otx_hazelnut/test/colour/000.jpg'));
    writeFileSync(at('cut.jpg'), jpeg.subarray(0, Math.floor(jpeg.length * 0.7)));
    await assert.rejects(readWholeImage(at('cut.jpg')), (err: unknown) => err instanceof UserError && err.message.startsWith(`${at('cut.jpg')}: corrupt or truncated image`));
  });

  it('refuses a PNG over the pixel limit from its header', async () => {
    await assert.rejects(readWholeImage(tirePng, { maxPixels: 1000 }), /600x800 .* over the limit of 1000 pixels/);
  });
});

describe('checkPngStructure', () => {
  it('rejects files whose chunks break the PNG rules, each with its reason', () => {
    const png = readFileSync(tirePng);
    const ihdr = chunkAt(png, 'IHDR');
    const idat = chunkAt(png, 'IDAT');
    const withCrc = (bytes: Buffer, chunkStart: number) => {
      const length = bytes.readUInt32BE(chunkStart);
      bytes.writeUInt32BE(crc32Portable(bytes.subarray(chunkStart + 4, chunkStart + 8 + length)), chunkStart + 8 + length);
      return bytes;
    };
    const depth = Buffer.from(png);
    depth[ihdr + 8 + 8] = 4; // RGB at 4 bits
    const notZlib = Buffer.from(png);
    notZlib[idat + 8] = 0x00;
    const critical = Buffer.from(png);
    critical.write('ABCD', idat + 4, 'latin1');
    assert.throws(() => checkPngStructure(Buffer.from('GIF89a not a png')), /no PNG signature/);
    assert.throws(() => checkPngStructure(withCrc(depth, ihdr)), /invalid colour type 2 with bit depth 4/);
    assert.throws(() => checkPngStructure(withCrc(notZlib, idat)), /does not start a zlib stream/);
    assert.throws(() => checkPngStructure(withCrc(critical, idat)), /unknown critical chunk ABCD/);
    assert.deepEqual(checkPngStructure(png), { width: 600, height: 800, bitDepth: 8, colourType: 2, interlaced: false });
  });

  it('computes CRC-32 as zlib does, with or without Node\'s own', () => {
    const data = readFileSync(tirePng).subarray(0, 100_000);
    assert.equal(crc32Portable(data), zlib.crc32(data));
    assert.equal(crc32Portable(data.subarray(500), crc32Portable(data.subarray(0, 500))), zlib.crc32(data));
  });
});
