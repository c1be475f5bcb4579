import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync, rmSync, readdirSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintOf, jobFingerprint, type SampleParams } from '../../../server/dataset/fingerprint';
import { cacheFileFor, readCachedRecord, writeCachedRecord, pruneRecordCache, recordsDir } from '../../../server/dataset/recordCache';
import type { BuildJob } from '../../../server/dataset/plan';
import { sha256 } from '../../../server/dataset/ownedFiles';
import { withTempDir, writeImage, writeGreyPng } from './fixtures';

const params: SampleParams = { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, threshold: 0 };
const job: BuildJob = {
  image: '/src/a/test/crack/000.png',
  mask: '/src/a/ground_truth/crack/000_mask.png',
  object: 'a',
  defect: 'crack',
  split: 'test',
  destImage: 'images/test/a/crack/000.png',
  destMaskStem: 'masks/test/a/crack/000',
};
const stamp = { size: 100, mtimeMs: 1000 };

test('the fingerprint changes with every input that changes the output, and only with those', () => {
  const base = fingerprintOf(job, params, stamp, stamp);
  assert.equal(fingerprintOf({ ...job }, { ...params }, { ...stamp }, { ...stamp }), base);
  const variants = [
    fingerprintOf(job, { ...params, eps: 2 }, stamp, stamp),
    fingerprintOf(job, { ...params, minPts: 2 }, stamp, stamp),
    fingerprintOf(job, { ...params, minArea: 5 }, stamp, stamp),
    fingerprintOf(job, { ...params, threshold: 127 }, stamp, stamp),
    fingerprintOf(job, { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0 }, stamp, stamp),
    fingerprintOf(job, { ...params, mode: 'cc8' }, stamp, stamp),
    fingerprintOf(job, params, { size: 101, mtimeMs: 1000 }, stamp),
    fingerprintOf(job, params, stamp, { size: 100, mtimeMs: 2000 }),
    fingerprintOf({ ...job, split: 'val', destImage: 'images/val/a/crack/000.png' }, params, stamp, stamp),
    fingerprintOf({ ...job, classNames: { 255: 'crack' } }, params, stamp, stamp),
  ];
  assert.equal(new Set([base, ...variants]).size, variants.length + 1);
});

test('jobFingerprint follows the files on disk; a missing file gives none', async () => {
  await withTempDir('fp', async (dir) => {
    const image = join(dir, 'a.png');
    const mask = join(dir, 'a_mask.png');
    await writeImage(image, 4, 4);
    await writeGreyPng(mask, 4, 4, [[1, 1]]);
    const j = { ...job, image, mask };
    const first = await jobFingerprint(j, params);
    assert.equal(await jobFingerprint(j, params), first);
    utimesSync(mask, new Date(), new Date(Date.now() + 5000));
    assert.notEqual(await jobFingerprint(j, params), first);
    rmSync(mask);
    assert.equal(await jobFingerprint(j, params), undefined);
  });
});

test('a cached record is reused only while the files it names are in the output with the content they were written with', async () => {
  await withTempDir('cache', async (dir) => {
    const fp = 'ab'.repeat(32);
    const record = {
      image: 'images/test/a/crack/000.png',
      object: 'a',
      defect: 'crack',
      width: 4,
      height: 4,
      regions: [{ mask: 'masks/test/a/crack/000_0.png', bbox: [1, 1, 1, 1] as [number, number, number, number], area: 1, defect: 'crack', description: '' }],
    };
    await writeImage(join(dir, record.image), 4, 4);
    await writeGreyPng(join(dir, record.regions[0].mask), 4, 4, [[1, 1]]);
    const hashes = Object.fromEntries([record.image, record.regions[0].mask].map((f) => [f, sha256(readFileSync(join(dir, f)))]));
    await writeCachedRecord(cacheFileFor(dir, fp), { fingerprint: fp, record, warnings: [], files: hashes });
    assert.deepEqual((await readCachedRecord(dir, fp))?.record, record);

    const maskBytes = readFileSync(join(dir, record.regions[0].mask));
    await writeGreyPng(join(dir, record.regions[0].mask), 4, 4, [[2, 2]]);
    assert.equal(await readCachedRecord(dir, fp), undefined, 'a region mask whose content changed');
    writeFileSync(join(dir, record.regions[0].mask), maskBytes);
    assert.ok(await readCachedRecord(dir, fp), 'restored');
    rmSync(join(dir, record.image));
    assert.equal(await readCachedRecord(dir, fp), undefined, 'outputs missing');
    await writeImage(join(dir, record.image), 4, 4);
    assert.ok(await readCachedRecord(dir, fp));
    await writeCachedRecord(cacheFileFor(dir, fp), { fingerprint: fp, record, warnings: [] } as never);
    assert.equal(await readCachedRecord(dir, fp), undefined, 'an entry of an earlier version without content hashes');
    await writeCachedRecord(cacheFileFor(dir, fp), { fingerprint: fp, record, warnings: [], files: hashes });
    assert.equal(await readCachedRecord(dir, 'cd'.repeat(32)), undefined, 'unknown fingerprint');
    writeFileSync(cacheFileFor(dir, fp), '{"fingerprint": "tr');
    assert.equal(await readCachedRecord(dir, fp), undefined, 'a truncated entry is ignored');

    mkdirSync(recordsDir(dir), { recursive: true });
    writeFileSync(join(recordsDir(dir), `${'ef'.repeat(32)}.json`), '{}');
    writeFileSync(join(recordsDir(dir), '.x.json.123.tmp'), '');
    await pruneRecordCache(dir, new Set([fp]));
    assert.deepEqual(readdirSync(recordsDir(dir)), [`${fp}.json`]);
  });
});
