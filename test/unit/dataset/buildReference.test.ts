// The build's fast path (PNG images checked by their chunks and copied by the kernel, region
// masks encoded in-process) writes the dataset the straightforward path writes: the same
// records, the same image bytes and the same region pixels, on the real shared sample.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ImageRecord } from '../../../server/dataset/format';
import { buildJson, ensureBuilt, readJsonl, runCli, sharedDir, withoutContentTag } from './cli';
import { withTempDir } from './fixtures';

const sample = join(sharedDir, 'data', 'mvtec-sample');

before(ensureBuilt);

test('the fast build and the reference build of the shared sample agree on every record, image and region pixel', async () => {
  await withTempDir('reference', async (dir) => {
    const outputs = { fast: join(dir, 'fast'), reference: join(dir, 'reference') };
    for (const [name, out] of Object.entries(outputs)) {
      const { code, result, stderr } = buildJson([sample, '--out', out, '--workers', '2', ...(name === 'reference' ? ['--reference'] : [])]);
      assert.equal(code, 0, stderr);
      assert.equal(result.images.processed, 25);
      assert.equal(runCli(['validate', out]).code, 0, `${name} validates`);
    }
    const fast = readJsonl<ImageRecord>(join(outputs.fast, 'test.jsonl'));
    const reference = readJsonl<ImageRecord>(join(outputs.reference, 'test.jsonl'));
    const withoutTags = (records: ImageRecord[]) => records.map((r) => ({ ...r, regions: r.regions.map((g) => ({ ...g, mask: withoutContentTag(g.mask) })) }));
    assert.deepEqual(withoutTags(fast), withoutTags(reference));
    for (const [k, record] of fast.entries()) {
      assert.equal(record.image, reference[k].image, 'the copied image is the same file');
      assert.deepEqual(readFileSync(join(outputs.fast, record.image)), readFileSync(join(outputs.reference, record.image)));
      for (const [r, region] of record.regions.entries()) {
        const [ours, theirs] = await Promise.all([join(outputs.fast, region.mask), join(outputs.reference, reference[k].regions[r].mask)].map((f) => sharp(f).raw().toBuffer({ resolveWithObject: true })));
        assert.deepEqual(ours.info, theirs.info, region.mask);
        assert.ok(ours.data.equals(theirs.data), `${region.mask}: the same pixels`);
      }
    }
  });
});
