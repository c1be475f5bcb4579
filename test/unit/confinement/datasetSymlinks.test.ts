// Symbolic links inside a built dataset: an image or region mask whose link leads outside
// the dataset root fails `validate` (naming the link), makes `eval` and `stats` refuse the
// dataset, and is never drawn into report.html; links that stay inside the root are fine.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatProblem, validateDataset } from '../../../server/dataset/validate';
import { evaluate, writeReport } from '../../../server/eval';
import { resolveInsideReal } from '../../../server/util/paths';
import { writeSmallDataset } from '../dataset/fixtures';
import { BLUE, RED, makeColourBundle, runCli, writeColourDataset, type ImageSpec } from '../eval/colourFixtures';

const root = mkdtempSync(join(tmpdir(), 'al-links-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(root, `${name}-${n++}`);

/** Moves `file` out of the dataset to `outside` and leaves a symbolic link to it in its place. */
function linkOut(file: string, outside: string): void {
  copyFileSync(file, outside);
  unlinkSync(file);
  symlinkSync(outside, file);
}

describe('resolveInsideReal', () => {
  it('names the link that leads out, and lets links inside the root and missing files through', async () => {
    const dir = fresh('paths');
    const { records } = await writeSmallDataset(dir);
    const image = records.test[0].image;
    assert.equal(resolveInsideReal(dir, image), join(dir, image));
    assert.equal(resolveInsideReal(dir, 'images/not-there.png'), join(dir, 'images/not-there.png'));
    const outside = fresh('outside.png');
    linkOut(join(dir, image), outside);
    assert.throws(() => resolveInsideReal(dir, image, 'test.jsonl:1'), {
      message: `test.jsonl:1: path "${image}" leads outside the dataset root through the symbolic link ${join(dir, image)} (to ${outside})`,
    });
    assert.throws(() => resolveInsideReal(dir, '../x.png'), /escapes the dataset root/);
  });
});

describe('validate', () => {
  it('reports an image linked outside the dataset root as an error naming the link', async () => {
    const dir = fresh('ds');
    const { records } = await writeSmallDataset(dir);
    const image = join(dir, records.train[0].image);
    const outside = fresh('secret.png');
    linkOut(image, outside);
    const result = await validateDataset(dir);
    assert.equal(result.valid, false);
    assert.deepEqual(result.problems.map(formatProblem), [
      `error: ${join(dir, 'train.jsonl')}:1: path "${records.train[0].image}" leads outside the dataset root through the symbolic link ${image} (to ${outside})`,
    ]);
    const cli = runCli(['validate', dir]);
    assert.equal(cli.code, 1);
    assert.match(cli.stdout + cli.stderr, /leads outside the dataset root through the symbolic link/);
    const stats = runCli(['stats', dir]);
    assert.equal(stats.code, 2, stats.stderr);
    assert.match(stats.stderr, /leads outside the dataset root through the symbolic link/);
  });

  it('reports region masks under a folder linked outside, naming the folder', async () => {
    const dir = fresh('ds');
    const { records } = await writeSmallDataset(dir);
    const folder = dirname(join(dir, records.test[0].regions[0].mask));
    const moved = fresh('masks');
    renameSync(folder, moved);
    symlinkSync(moved, folder);
    const lines = (await validateDataset(dir)).problems.map(formatProblem);
    assert.equal(lines.length, 2, lines.join('\n'));
    for (const line of lines) assert.ok(line.includes(`through the symbolic link ${folder} (to ${moved})`), line);
  });

  it('accepts links that stay inside the dataset root, and a dataset folder that is itself a link', async () => {
    const dir = fresh('ds');
    const { records } = await writeSmallDataset(dir);
    const image = join(dir, records.train[0].image);
    renameSync(image, join(dir, 'kept.png'));
    symlinkSync('../'.repeat(records.train[0].image.split('/').length - 1) + 'kept.png', image);
    const alias = fresh('alias');
    symlinkSync(dir, alias);
    for (const d of [dir, alias]) assert.deepEqual((await validateDataset(d)).problems.map(formatProblem), []);
  });
});

describe('eval', () => {
  const IMAGES: ImageSpec[] = [
    { name: 'a', object: 'widget', regions: [{ x: 0, y: 0, w: 4, h: 4, colour: RED, truth: 'crack in widget', defect: 'crack' }] },
    { name: 'b', object: 'widget', regions: [{ x: 0, y: 0, w: 6, h: 6, colour: BLUE, truth: 'stain on widget', defect: 'stain' }] },
  ];
  const model = join(root, 'model');
  before(async () => {
    await makeColourBundle(model, 'masked-mean');
  });

  it('refuses a dataset with an image linked outside its root, naming the link, and writes no report', async () => {
    const dir = fresh('colour');
    await writeColourDataset(dir, IMAGES);
    const image = join(dir, 'images/a.png');
    linkOut(image, fresh('secret.png'));
    const out = fresh('report');
    const run = runCli(['eval', '--dataset', dir, '--bundle', model, '--out', out]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`through the symbolic link ${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    assert.equal(existsSync(join(out, 'report.html')), false);
  });

  it('never draws an image into report.html through a link that leads outside the root', async () => {
    const dir = fresh('colour');
    await writeColourDataset(dir, IMAGES);
    const evaluation = await evaluate({ dataset: dir, split: 'test', bundle: model, candidates: 'all', topK: 1 });
    // The dataset changes between the evaluation and the drawing of the report.
    const image = join(dir, 'images/a.png');
    linkOut(image, fresh('secret.png'));
    const out = fresh('report');
    await writeReport(evaluation, out, { gallery: 2, version: 'test', createdAt: '2026-01-01T00:00:00.000Z' });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.equal((html.match(/<img /g) ?? []).length, 1, 'only image b is drawn');
    assert.ok(html.includes('no picture: path &quot;images/a.png&quot; leads outside the dataset root through the symbolic link'), html);
  });
});
