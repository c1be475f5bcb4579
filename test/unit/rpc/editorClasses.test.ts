// The classes the mask editor offers and saves, through the child server on the built sample: an
// image's regions may get only its own object's classes, and a save adds a class to dataset.json
// only for a description the user confirmed as new, never silently.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCodes, LoadRegionsRequest, SaveRegionsRequest } from '../../../server/rpc/protocol';
import type { DatasetManifest, ImageRecord } from '../../../server/dataset/format';
import { ServerRequestError } from '../../../extension/client/errors';
import { buildJson, readJsonl, runCli } from '../dataset/cli';
import { withTempDir } from '../dataset/fixtures';
import { ensureBuilt, labelsOf, newClient, textOf } from './fixtures';

/** The sample, generated and built: its MVTec sources and the dataset. */
function builtSample(dir: string): { sample: string; out: string } {
  const sample = join(dir, 'sample');
  assert.equal(runCli(['sample', sample, '--scale', '0.05']).code, 0);
  const out = join(dir, 'dataset');
  assert.equal(buildJson([join(sample, 'mvtec'), '--out', out]).code, 0);
  return { sample, out };
}

describe('the classes a region may get', () => {
  it('a tile image of the built dataset offers only tile\'s classes; another object\'s description or an unconfirmed one is not saved as a class', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-editor-classes', async (dir) => {
      const { out } = builtSample(dir);
      const manifestBefore = readFileSync(join(out, 'dataset.json'), 'utf8');
      const manifest = JSON.parse(manifestBefore) as DatasetManifest;
      const record = readJsonl<ImageRecord>(join(out, 'test.jsonl')).find((r) => r.object === 'tile') as ImageRecord;
      assert.ok(record, 'the sample has a tile test image');
      const tile = manifest.descriptions.filter((d) => d.object === 'tile');
      assert.ok(manifest.descriptions.some((d) => d.object !== 'tile'), 'the dataset has other objects');

      const client = newClient(t);
      const image = join(out, record.image);
      const loaded = await client.request(LoadRegionsRequest, { image });
      assert.equal(loaded.source.kind, 'dataset');
      if (loaded.source.kind !== 'dataset') return;
      assert.deepEqual(loaded.source.classes, tile.map((d) => ({ defect: d.defect, description: d.text })));
      assert.deepEqual(loaded.source.descriptions, tile.map((d) => d.text), 'suggestions list only tile\'s descriptions');

      // A new region in a free corner.
      const labels = labelsOf(loaded.labels);
      const corner = [0, 1, 2, loaded.width, loaded.width + 1].filter((i) => labels[i] === 0);
      assert.ok(corner.length > 0);
      const id = Math.max(0, ...loaded.regions.map((r) => r.id)) + 1;
      for (const i of corner) labels[i] = id;
      const other = manifest.descriptions.find((d) => d.object !== 'tile') as DatasetManifest['descriptions'][number];
      const withRegion = (description: string, defect: string) => ({ ...loaded, labels: textOf(labels), regions: [...loaded.regions, { id, defect, description }] });
      const refused = (description: string) => (err: unknown) => {
        assert.ok(err instanceof ServerRequestError, String(err));
        assert.equal(err.code, ErrorCodes.UserError);
        assert.ok(err.message.includes(`described as "${description}", which is no class of tile in dataset.json`), err.message);
        return true;
      };
      await assert.rejects(client.request(SaveRegionsRequest, withRegion(other.text, other.defect)), refused(other.text));
      await assert.rejects(client.request(SaveRegionsRequest, withRegion('oily smear on tile', 'oily_smear_on_tile')), refused('oily smear on tile'));
      assert.equal(readFileSync(join(out, 'dataset.json'), 'utf8'), manifestBefore, 'dataset.json is not changed');

      // One of tile's classes saves without a new class.
      await client.request(SaveRegionsRequest, withRegion(tile[0].text, tile[0].defect));
      const kept = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as DatasetManifest;
      assert.deepEqual(kept.descriptions, manifest.descriptions, 'no class is added');

      // A description the user confirmed becomes a curated class of tile.
      const again = await client.request(LoadRegionsRequest, { image });
      const newId = Math.max(...again.regions.map((r) => r.id));
      const confirmed = { ...again, regions: again.regions.map((r) => (r.id === newId ? { ...r, defect: 'oily_smear_on_tile', description: 'oily smear on tile' } : r)), newClasses: ['oily smear on tile'] };
      await client.request(SaveRegionsRequest, confirmed);
      const added = (JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as DatasetManifest).descriptions.filter((d) => !manifest.descriptions.some((m) => m.text === d.text));
      assert.deepEqual(added.map((d) => [d.object, d.defect, d.text, d.provenance.kind]), [['tile', 'oily_smear_on_tile', 'oily smear on tile', 'curated']]);
      assert.equal(runCli(['validate', out]).code, 0);
    });
  });

  it('a class-id mask offers the classes of its class_ids.json with their ids', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-editor-mask-classes', async (dir) => {
      const { sample } = builtSample(dir);
      const classIds = JSON.parse(readFileSync(join(sample, 'mvtec', 'tile', 'class_ids.json'), 'utf8')) as Record<string, string>;
      const client = newClient(t);
      const loaded = await client.request(LoadRegionsRequest, { image: join(sample, 'mvtec', 'tile', 'test', 'combined', '000.png') });
      assert.equal(loaded.source.kind, 'mask');
      if (loaded.source.kind !== 'mask') return;
      const expected = Object.entries(classIds).filter(([id, name]) => id !== '0' && name !== 'good').map(([id, name]) => [Number(id), name]).sort((a, b) => (a[0] as number) - (b[0] as number));
      assert.deepEqual(loaded.source.classes?.map((c) => [c.classId, c.defect]), expected);
      for (const region of loaded.regions) assert.ok(loaded.source.classes?.some((c) => c.classId === region.classId && c.description === region.description), `region ${region.id} carries one of the classes`);
    });
  });
});
