// stats and eval warn about duplicate records: the same image content under two paths (in one
// split or across splits) and the same region listed twice for one image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { duplicateWarnings } from '../../../server/dataset/duplicates';
import type { ImageRecord } from '../../../server/dataset/format';
import { ensureBuilt, runCli } from './cli';
import { RED, makeColourBundle, runCli as runSourceCli, writeColourDataset } from '../eval/colourFixtures';
import { withTempDir, writeGreyPng, writeImage } from './fixtures';

async function source(root: string, stems: string[]): Promise<void> {
  for (const stem of stems) {
    await writeImage(join(root, 'widget', 'crack', `${stem}.png`), 12, 8);
    await writeGreyPng(join(root, 'widget', 'crack', `${stem}_mask.png`), 12, 8, [[1, 1], [2, 1]]);
  }
}

test('stats warns on stderr and in --json about the same image in train twice and in train and test', async () => {
  ensureBuilt();
  await withTempDir('dups', async (dir) => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await source(a, ['000', '001']); // two identical images in one source
    await source(b, ['000']); // and the same image again in another
    const out = join(dir, 'out');
    const built = runCli(['build', `${a}:generic:train`, `${b}:generic:test`, '--out', out, '--workers', '1']);
    assert.equal(built.code, 0, built.stderr);

    const text = runCli(['stats', out]);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, text.stderr);
    assert.match(lines[0], /^anomaly-lens: warning: duplicate record: 3 images have the same content across splits \((train, test|test, train)\): /);
    for (const image of ['images/train/widget/crack/000', 'images/train/widget/crack/001', 'images/test/widget/crack/000']) assert.ok(lines[0].includes(image), lines[0]);

    const json = runCli(['stats', out, '--json']);
    const parsed = JSON.parse(json.stdout) as { warnings: string[]; objects: unknown[] };
    assert.deepEqual(parsed.warnings, [lines[0].replace('anomaly-lens: warning: ', '')]);
    assert.equal(parsed.objects.length, 1);
  });
});

test('a dataset without duplicates gets no warning; one image listing the same region twice does', async () => {
  await withTempDir('dups', async (dir) => {
    await writeImage(join(dir, 'images/a.png'), 12, 8);
    await writeImage(join(dir, 'images/b.jpg'), 12, 8);
    await writeGreyPng(join(dir, 'masks/a_0.png'), 12, 8, [[1, 1]]);
    await writeGreyPng(join(dir, 'masks/a_1.png'), 12, 8, [[5, 5]]);
    const region = (mask: string) => ({ mask, bbox: [1, 1, 1, 1] as [number, number, number, number], area: 1, defect: 'crack', description: 'crack' });
    const record = (image: string, masks: string[]): ImageRecord => ({ image, object: 'widget', defect: 'crack', width: 12, height: 8, regions: masks.map(region) });
    const clean = { train: [record('images/a.png', ['masks/a_0.png', 'masks/a_1.png'])], val: [], test: [record('images/b.jpg', ['masks/a_0.png'])] };
    assert.deepEqual(duplicateWarnings(dir, clean), []);

    mkdirSync(join(dir, 'masks'), { recursive: true });
    copyFileSync(join(dir, 'masks/a_0.png'), join(dir, 'masks/a_2.png'));
    writeFileSync(join(dir, 'unrelated.txt'), '');
    const twice = { train: [record('images/a.png', ['masks/a_0.png', 'masks/a_1.png', 'masks/a_2.png'])], val: [], test: [] };
    assert.deepEqual(duplicateWarnings(dir, twice), ['duplicate record: images/a.png (train) lists the same region 2 times: masks/a_0.png, masks/a_2.png']);
  });
});

test('eval warns on stderr and in --json about two test images with the same content', async () => {
  await withTempDir('dups-eval', async (dir) => {
    const bundle = await makeColourBundle(join(dir, 'bundle'));
    const spot = { x: 4, y: 4, w: 8, h: 8, colour: RED, truth: 'crack in widget', defect: 'crack' };
    await writeColourDataset(join(dir, 'ds'), [
      { name: 'i1', object: 'widget', regions: [spot] },
      { name: 'i2', object: 'widget', regions: [spot] },
    ]);
    const r = runSourceCli(['eval', '--dataset', join(dir, 'ds'), '--bundle', bundle, '--out', join(dir, 'report'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const warning = 'duplicate record: 2 images have the same content in test: images/i1.png (test), images/i2.png (test)';
    assert.ok(r.stderr.includes(`anomaly-lens: warning: ${warning}\n`), r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { warnings: string[] }).warnings, [warning]);
  });
});
