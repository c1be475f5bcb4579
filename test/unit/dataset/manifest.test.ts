import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readDataset, readSplit, parseJsonl, toJsonl } from '../../../server/dataset/manifest';
import { validateDataset, formatProblem } from '../../../server/dataset/validate';
import { checkImageRecord } from '../../../server/dataset/schema';
import { UserError } from '../../../server/util/errors';
import { withTempDir, writeSmallDataset, writeGreyPng, W, H } from './fixtures';

test('a written dataset reads back unchanged and validates', async () => {
  await withTempDir('manifest', async (dir) => {
    const { manifest, records } = await writeSmallDataset(dir);
    const back = await readDataset(dir);
    assert.deepEqual(back.manifest, manifest);
    assert.deepEqual(back.records, records);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left');
    const result = await validateDataset(dir);
    assert.deepEqual(result.problems, []);
    assert.equal(result.valid, true);
    assert.deepEqual(result.counts.test, { images: 1, regions: 2 });
  });
});

/** Replaces line `n` (1-based) of a split file. */
function editLine(dir: string, file: string, n: number, edit: (record: Record<string, unknown>) => unknown): void {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  lines[n - 1] = JSON.stringify(edit(JSON.parse(lines[n - 1])));
  writeFileSync(join(dir, file), lines.join('\n'));
}

test('validate rejects paths that escape the dataset root, naming file:line', async () => {
  await withTempDir('escape', async (dir) => {
    await writeSmallDataset(dir);
    editLine(dir, 'train.jsonl', 1, (r) => ({ ...r, image: '../../etc/passwd' }));
    editLine(dir, 'test.jsonl', 1, (r) => ({
      ...r,
      regions: [{ ...(r.regions as object[])[0], mask: '/etc/hosts' }, (r.regions as object[])[1]],
    }));
    const result = await validateDataset(dir);
    assert.equal(result.valid, false);
    const lines = result.problems.map(formatProblem);
    assert.ok(lines.some((l) => l.includes(`${join(dir, 'train.jsonl')}:1:`) && l.includes('"../../etc/passwd" escapes the dataset root')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes(`${join(dir, 'test.jsonl')}:1:`) && l.includes('"/etc/hosts" is absolute')), lines.join('\n'));
  });
});

test('validate checks region PNGs against their records and descriptions against dataset.json', async () => {
  await withTempDir('regions', async (dir) => {
    const { records } = await writeSmallDataset(dir);
    // Region 0 of the test image: one more pixel than recorded; region 1: a grey value.
    await writeGreyPng(join(dir, records.test[0].regions[0].mask), W, H, [[1, 1], [2, 1], [2, 2]]);
    await writeGreyPng(join(dir, records.test[0].regions[1].mask), W, H, [[4, 3]], 128);
    // The train region: the wrong size and a description dataset.json does not know.
    await writeGreyPng(join(dir, records.train[0].regions[0].mask), W + 1, H, [[0, 0], [0, 1]]);
    editLine(dir, 'train.jsonl', 1, (r) => ({ ...r, regions: [{ ...(r.regions as object[])[0], defect: 'scratch' }] }));
    const result = await validateDataset(dir);
    const text = result.problems.map(formatProblem).join('\n');
    assert.match(text, /test\.jsonl:1: regions\[0\] masks\/test\/bottle\/crack\/000_0\.png: area is 3 pixels, the record says 2/);
    assert.match(text, /test\.jsonl:1: regions\[0\] .*bounding box is \[1,1,2,2\], the record says \[1,1,2,1\]/);
    assert.match(text, /test\.jsonl:1: regions\[1\] .*values other than 0\/255: 128/);
    assert.match(text, /train\.jsonl:1: regions\[0\] .*is 7x4 but the image is 6x4/);
    assert.match(text, /train\.jsonl:1: regions\[0\]: no description of bottle\/scratch in dataset\.json/);
    assert.equal(result.valid, false);
  });
});

test('validate reports broken lines, missing files, wrong counts and a wrong format version', async () => {
  await withTempDir('broken', async (dir) => {
    const { records } = await writeSmallDataset(dir);
    writeFileSync(join(dir, 'val.jsonl'), `{"image": 3}\nnot json\n`);
    rmSync(join(dir, records.test[0].regions[1].mask));
    const manifest = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8'));
    writeFileSync(join(dir, 'dataset.json'), JSON.stringify({ ...manifest, formatVersion: 99 }));
    const text = (await validateDataset(dir)).problems.map(formatProblem).join('\n');
    assert.match(text, /val\.jsonl:1: image: expected a relative path, got 3/);
    assert.match(text, /val\.jsonl:2: not valid JSON/);
    assert.match(text, /test\.jsonl:1: regions\[1\]: mask masks\/test\/bottle\/crack\/000_1\.png does not exist/);
    assert.match(text, /dataset\.json: formatVersion: expected 1, got 99/);

    writeFileSync(join(dir, 'dataset.json'), JSON.stringify({ ...manifest, counts: { ...manifest.counts, train: { images: 5, regions: 1 } } }));
    const again = (await validateDataset(dir)).problems.map(formatProblem).join('\n');
    assert.match(again, /counts\.train says 5 images \/ 1 regions, train\.jsonl holds 1 \/ 1/);
  });
});

test('readSplit names file:line of the first malformed record', async () => {
  await withTempDir('readsplit', async (dir) => {
    const { records } = await writeSmallDataset(dir);
    writeFileSync(join(dir, 'test.jsonl'), toJsonl(records.test) + `{"image":"x.png","object":"o","defect":"d","width":0,"height":2,"regions":[]}\n`);
    await assert.rejects(readSplit(dir, 'test'), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /test\.jsonl:2: width: expected a positive integer, got 0/);
      return true;
  });
  });
});

test('parseJsonl skips blank lines and keeps 1-based line numbers', () => {
  const lines = parseJsonl('{"a":1}\n\n{bad\n{"b":2}\n');
  assert.deepEqual(lines.map((l) => [l.line, l.error === undefined]), [[1, true], [3, false], [4, true]]);
});

test('the record schema names the offending field', () => {
  assert.deepEqual(checkImageRecord({ image: 'a.png', object: 'o', defect: 'd', width: 2, height: 2, regions: [{ mask: 'm.png', bbox: [0, 0, 0, 1], area: 1, defect: 'd', description: 'x' }] }), [
    'regions[0].bbox: expected [x, y, width, height] of non-negative integers, got [0,0,0,1]',
  ]);
  assert.deepEqual(checkImageRecord([]), ['expected a JSON object (one image record)']);
});
