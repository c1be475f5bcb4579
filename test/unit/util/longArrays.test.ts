// Lists longer than a call's arguments may be (about 100,000): appending them with
// `push(...list)` or taking `Math.max(...list)` overflowed the stack, so a mask of 150,000 dots
// or an MVTec AD object with 150,000 training images failed with an internal error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { readSource } from '../../../server/dataset/readers';
import { maxOf, pushAll } from '../../../server/util/arrays';
import { cliPath, ensureBuilt, repoRoot } from '../dataset/cli';

const MANY = 150_000;

describe('lists past the arguments a call takes', () => {
  let dir = '';
  before(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'al-long-arrays-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('pushAll and maxOf take any number of items', () => {
    const items = Array.from({ length: 3 * MANY }, (_, i) => i);
    assert.equal(pushAll([-1], items).length, 3 * MANY + 1);
    assert.equal(maxOf(items), 3 * MANY - 1);
    assert.equal(maxOf([]), Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(maxOf([1, Number.NaN, 2])));
  });

  it('`split` lists every region of a mask of 150,000 separate dots', async () => {
    const [width, height] = [1000, 600];
    const pixels = Buffer.alloc(width * height);
    for (let y = 0; y < height; y += 2) for (let x = 0; x < width; x += 2) pixels[y * width + x] = 255;
    const mask = join(dir, 'dots.png');
    await sharp(pixels, { raw: { width, height, channels: 1 } }).png().toFile(mask);
    const r = spawnSync(process.execPath, [cliPath, 'split', mask, '--mode', 'cc4'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CI: '1' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => /^\s*\d+\s/.test(l)).length, (width / 2) * (height / 2));
  });

  it('an MVTec AD object with 150,000 good training images is read whole', async () => {
    const good = join(dir, 'mvtec', 'bottle', 'train', 'good');
    mkdirSync(good, { recursive: true });
    mkdirSync(join(dir, 'mvtec', 'bottle', 'test', 'good'), { recursive: true });
    writeFileSync(join(dir, 'mvtec', 'bottle', 'test', 'good', '000.png'), 'x');
    for (let i = 0; i < MANY; i++) writeFileSync(join(good, `${String(i).padStart(6, '0')}.png`), 'x');
    const source = await readSource(join(dir, 'mvtec'));
    assert.equal(source.kind, 'mvtec');
    assert.equal(source.samples.filter((s) => s.split === 'train-good').length, MANY);
  });
});
