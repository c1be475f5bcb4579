// anomalyLens/describeRegions through the client with a colour bundle
// (test/unit/eval/colourFixtures.ts): a region's answer is the description whose colour is
// nearest the region's mean colour, so every expected answer follows from the colours painted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServerRequestError } from '../../../extension/client/errors';
import { DescribeRegionsRequest, PingRequest } from '../../../server/rpc/protocol';
import sharp from 'sharp';
import { regionColour } from '../../../server/masks/regionColour';
import { BLUE, GREY, RED, makeColourBundle, writeImage, writeMask } from '../eval/colourFixtures';
import { ensureBuilt, newClient } from './fixtures';

const RED_SQUARE = { x: 2, y: 2, w: 6, h: 6 };
const BLUE_SQUARE = { x: 20, y: 20, w: 8, h: 8 };

let root = '';
let bundle = '';
let image = '';
const masks = { red: '', blue: '', both: '', small: '' };

before(async () => {
  ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'al-rpc-describe-'));
  bundle = await makeColourBundle(join(root, 'bundle'));
  image = join(root, 'image.png');
  await writeImage(image, [
    { ...RED_SQUARE, colour: RED },
    { ...BLUE_SQUARE, colour: BLUE },
  ]);
  masks.red = join(root, 'red.png');
  masks.blue = join(root, 'blue.png');
  masks.both = join(root, 'both.png');
  masks.small = join(root, 'small.png');
  await writeMask(masks.red, [RED_SQUARE]);
  await writeMask(masks.blue, [BLUE_SQUARE]);
  await writeMask(masks.both, [RED_SQUARE, BLUE_SQUARE]);
  await writeMask(masks.small, [RED_SQUARE], 16, 16);
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('anomalyLens/describeRegions', () => {
  it('describes each designated region, splits a mask into its regions, and keeps the model open', async (t) => {
    const client = newClient(t);
    const byMask = await client.request(DescribeRegionsRequest, { image, bundle, masks: [masks.blue, masks.red], topK: 2 });
    assert.equal(byMask.bundle, bundle);
    assert.deepEqual(byMask.regions.map((r) => r.source), [{ kind: 'mask', file: masks.blue }, { kind: 'mask', file: masks.red }]);
    assert.deepEqual(byMask.regions.map((r) => r.ranking[0].text), ['stain on widget', 'crack in widget']);
    assert.ok(byMask.regions.every((r) => r.ranking.length === 2 && r.ranking[0].probability > r.ranking[1].probability));

    const split = await client.request(DescribeRegionsRequest, { image, bundle, regionOf: { mask: masks.both }, candidates: ['crack in widget', 'stain on widget', 'cut in cable'] });
    assert.deepEqual(
      split.regions.map((r) => r.source),
      [
        { kind: 'region-of', file: masks.both, index: 0, of: 2, bbox: [2, 2, 6, 6], area: 36 },
        { kind: 'region-of', file: masks.both, index: 1, of: 2, bbox: [20, 20, 8, 8], area: 64 },
      ],
    );
    assert.deepEqual(split.regions.map((r) => r.ranking[0].text), ['crack in widget', 'stain on widget']);
    assert.ok(split.regions.every((r) => r.ranking.length === 3));

    const whole = await client.request(DescribeRegionsRequest, { image, bundle });
    assert.deepEqual(whole.regions.map((r) => [r.source.kind, r.wholeImage]), [['whole-image', true]]);

    assert.deepEqual((await client.request(PingRequest)).models, [bundle]);
  });

  it('describes regions sent inline as pixel lists (the mask editor) as it describes the same regions from mask files', async (t) => {
    const client = newClient(t);
    const square = ({ x, y, w, h }: typeof RED_SQUARE) => {
      const out: number[] = [];
      for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) out.push(yy * 32 + xx);
      return Buffer.from(Uint32Array.from(out).buffer).toString('base64');
    };
    const inline = await client.request(DescribeRegionsRequest, { image, bundle, pixels: [square(BLUE_SQUARE), square(RED_SQUARE)], topK: 3 });
    const files = await client.request(DescribeRegionsRequest, { image, bundle, masks: [masks.blue, masks.red], topK: 3 });
    assert.deepEqual(inline.regions.map((r) => r.source), [{ kind: 'pixels', index: 0, area: 64 }, { kind: 'pixels', index: 1, area: 36 }]);
    assert.deepEqual(inline.regions.map((r) => r.ranking), files.regions.map((r) => r.ranking));
    await assert.rejects(client.request(DescribeRegionsRequest, { image, bundle, pixels: [Buffer.from(Uint32Array.of(32 * 32).buffer).toString('base64')] }), /outside the 32x32 image/);
  });

  it('answers, when asked, a picture of the image with each described region outlined and numbered in the order of the answer', async (t) => {
    const client = newClient(t);
    const colourAt = async (dataUrl: string, x: number, y: number) => {
      const { data, info } = await sharp(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const o = (y * info.width + x) * 3;
      return [data[o], data[o + 1], data[o + 2]];
    };
    const near = (a: number[], b: readonly number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 8);
    const split = await client.request(DescribeRegionsRequest, { image, bundle, regionOf: { mask: masks.both }, picture: {} });
    assert.ok(split.picture, 'a picture');
    assert.match(split.picture.dataUrl, /^data:image\/png;base64,/);
    assert.deepEqual([split.picture.width, split.picture.height], [32, 32], 'a small image keeps its size');
    // The bottom edges of the red square (region 1) and the blue one (region 2), in their colours; the background untouched.
    assert.ok(near(await colourAt(split.picture.dataUrl, 4, 7), regionColour(1)), `${await colourAt(split.picture.dataUrl, 4, 7)}`);
    assert.ok(near(await colourAt(split.picture.dataUrl, 24, 27), regionColour(2)), `${await colourAt(split.picture.dataUrl, 24, 27)}`);
    assert.ok(near(await colourAt(split.picture.dataUrl, 15, 15), GREY));

    // Masks in the order given: the blue one is region 1.
    const byMask = await client.request(DescribeRegionsRequest, { image, bundle, masks: [masks.blue, masks.red], picture: { maxSize: 16 } });
    assert.deepEqual([byMask.picture?.width, byMask.picture?.height], [16, 16], 'at most maxSize');
    assert.equal((await client.request(DescribeRegionsRequest, { image, bundle, masks: [masks.blue] })).picture, undefined, 'none unless asked');
    await assert.rejects(client.request(DescribeRegionsRequest, { image, bundle, picture: { maxSize: 0 } }), /picture: maxSize/);
  });

  it('names the file in errors about bad input', async (t) => {
    const client = newClient(t);
    const missing = join(root, 'missing.png');
    await assert.rejects(client.request(DescribeRegionsRequest, { image: missing, bundle, masks: [masks.red] }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError && err.kind === 'user');
      assert.equal(err.file, missing);
      return true;
    });
    await assert.rejects(client.request(DescribeRegionsRequest, { image, bundle, regionOf: { mask: masks.small } }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError && err.kind === 'user');
      assert.equal(err.file, masks.small);
      assert.match(err.message, /the mask is 16x16 but the image .*image\.png is 32x32/);
      return true;
    });
    const notABundle = join(root, 'no-bundle');
    await assert.rejects(client.request(DescribeRegionsRequest, { image, bundle: notABundle }), (err: unknown) => {
      assert.ok(err instanceof ServerRequestError && err.kind === 'user', String(err));
      assert.match(err.message, /no-bundle/);
      return true;
    });
    // The good bundle stays open after a request that failed on its image; the bad one is not kept.
    assert.deepEqual((await client.request(PingRequest)).models, [bundle]);
  });
});
