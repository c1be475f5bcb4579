// A class-id mask through the child server as the mask editor saves it: the sample's tile image
// with several defect classes in one mask (class_ids.json beside it) keeps every class id when
// saved, and a save whose regions carry impossible class ids, or whose label map names regions
// it does not list, is refused before anything is written.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCodes, LoadRegionsRequest, SaveRegionsRequest, type LoadRegionsResult } from '../../../server/rpc/protocol';
import { readMask } from '../../../server/image/mask';
import { runCli } from '../dataset/cli';
import { withTempDir } from '../dataset/fixtures';
import { ensureBuilt, labelsOf, newClient, serverError, textOf } from './fixtures';

async function maskValues(file: string): Promise<number[]> {
  return Array.from((await readMask(file, { classIds: true })).mask.values);
}

function distinct(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** The sample's tile image of several defect classes and its class-id mask. */
function tileCombined(dir: string): { image: string; mask: string } {
  const generated = runCli(['sample', join(dir, 'sample'), '--scale', '0.05']);
  assert.equal(generated.code, 0, generated.stderr);
  const object = join(dir, 'sample', 'mvtec', 'tile');
  return { image: join(object, 'test', 'combined', '000.png'), mask: join(object, 'ground_truth', 'combined', '000_mask.png') };
}

async function rejectsWith(promise: Promise<unknown>, code: number, message: RegExp): Promise<void> {
  await assert.rejects(promise, serverError(code, message));
}

describe('a class-id mask saved through the child server', () => {
  it('keeps every class id and every region\'s class when saved with no edit', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-class-ids', async (dir) => {
      const { image, mask } = tileCombined(dir);
      const classNames = JSON.parse(readFileSync(join(dir, 'sample', 'mvtec', 'tile', 'class_ids.json'), 'utf8')) as Record<string, string>;
      const before = await maskValues(mask);
      const classes = distinct(before).filter((v) => v !== 0);
      assert.ok(classes.length >= 2, `the combined image holds several classes (${classes.join(', ')})`);
      assert.ok(classes.every((v) => classNames[String(v)] !== undefined), 'every value is a class of class_ids.json');

      const client = newClient(t);
      const loaded = await client.request(LoadRegionsRequest, { image });
      assert.equal(loaded.source.kind, 'mask');
      assert.deepEqual(distinct(loaded.regions.map((r) => r.classId as number)), classes);
      const saved = await client.request(SaveRegionsRequest, loaded);
      assert.deepEqual(saved.files, [mask]);

      assert.deepEqual(distinct(await maskValues(mask)), distinct(before), 'the same class ids, not 255');
      assert.deepEqual(await maskValues(mask), before, 'every pixel keeps its value');
      const reloaded = await client.request(LoadRegionsRequest, { image });
      const summary = (d: LoadRegionsResult) => d.regions.map((r) => [r.classId, r.defect, r.description]);
      assert.deepEqual(summary(reloaded), summary(loaded), 'each region keeps its class and description');
    });
  });

  it('refuses class ids that are not integers 1 to 65535, and labels of no listed region, writing nothing', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-class-ids-bad', async (dir) => {
      const { image, mask } = tileCombined(dir);
      const before = readFileSync(mask);
      const client = newClient(t);
      const loaded = await client.request(LoadRegionsRequest, { image });
      assert.ok(loaded.regions.length >= 2);
      for (const classId of ['abc', 70000, -1, 0, 1.5, null]) {
        const regions = loaded.regions.map((r, k) => (k === 1 ? { ...r, classId } : r));
        await rejectsWith(client.request(SaveRegionsRequest, { ...loaded, regions } as never), ErrorCodes.InvalidParams, /regions\[1\]\.classId must be an integer from 1 to 65535/);
      }

      const { classId: _, ...unclassed } = loaded.regions[1];
      await rejectsWith(
        client.request(SaveRegionsRequest, { ...loaded, regions: loaded.regions.map((r, k) => (k === 1 ? unclassed : r)) }),
        ErrorCodes.UserError,
        new RegExp(`region ${unclassed.id} .* has no class id, and this mask stores class ids \\(class_ids\\.json\\)`),
      );

      // The label map gives pixels to a region the list leaves out: refused, not written as 255.
      const dropped = loaded.regions[0];
      await rejectsWith(
        client.request(SaveRegionsRequest, { ...loaded, regions: loaded.regions.slice(1) }),
        ErrorCodes.InvalidParams,
        new RegExp(`label map gives \\d+ pixels? to region ${dropped.id}, which regions does not list`),
      );
      // Two regions with one id.
      await rejectsWith(client.request(SaveRegionsRequest, { ...loaded, regions: [...loaded.regions, loaded.regions[0]] }), ErrorCodes.InvalidParams, /regions\[\d+\] has the id .* of regions\[0\]/);
      assert.deepEqual(readFileSync(mask), before, 'the mask is not written');

      // The same regions without those pixels save.
      const labels = labelsOf(loaded.labels).map((v) => (v === dropped.id ? 0 : v));
      await client.request(SaveRegionsRequest, { ...loaded, labels: textOf(labels), regions: loaded.regions.slice(1) });
      const values = await maskValues(mask);
      assert.ok(!values.includes(255), 'no pixel becomes 255');
      assert.deepEqual(distinct(values), distinct([0, ...loaded.regions.slice(1).map((r) => r.classId as number)]));
    });
  });
});
