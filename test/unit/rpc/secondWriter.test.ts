// A second writer through the child server: the mask editor's document was read at one version of
// an image's regions; the Review view (relabelRegion) or someone else changed them since. The
// editor's save of its old copy is refused as stale, naming what changed, and the change made
// elsewhere stays; after a reload the save goes through and keeps it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes, LoadRegionsRequest, RelabelRegionRequest, SaveRegionsRequest } from '../../../server/rpc/protocol';
import { ServerRequestError } from '../../../extension/client/errors';
import { buildJson, readJsonl, runCli } from '../dataset/cli';
import { withTempDir, writeGreyPng, writeImage } from '../dataset/fixtures';
import { writeBlobSource } from '../dataset/blobSource';
import type { ImageRecord } from '../../../server/dataset/format';
import { ensureBuilt, newClient } from './fixtures';

const recordOf = (out: string, image: string) => readJsonl<ImageRecord>(join(out, 'test.jsonl')).find((r) => r.image === image) as ImageRecord;

/** The request is refused as stale: the code the extension turns into its question, and words that say why. */
async function refusedAsStale(request: Promise<unknown>, words: RegExp): Promise<void> {
  await assert.rejects(request, (err: unknown) => {
    const code = err instanceof ServerRequestError ? err.code : err instanceof ResponseError ? err.code : undefined;
    assert.equal(code, ErrorCodes.StaleVersion, `a stale error, not ${String(err)}`);
    assert.match((err as Error).message, words);
    return true;
  });
}

describe('a second writer', () => {
  it('an editor\'s save over a relabelled region is refused as stale; after a reload it saves and keeps the new label', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-second-writer', async (dir) => {
      const src = join(dir, 'src');
      const out = join(dir, 'out');
      await writeBlobSource(src, 'crack', 2);
      assert.equal(buildJson([src, '--out', out]).code, 0);
      const [record] = readJsonl<ImageRecord>(join(out, 'test.jsonl'));
      const image = join(out, record.image);
      const client = newClient(t);

      const opened = await client.request(LoadRegionsRequest, { image });
      assert.equal(typeof opened.version, 'string', 'loadRegions answers the version it read');
      // The Review view takes the model's description for region 1 (it read the same version).
      const relabelled = await client.request(RelabelRegionRequest, { image, region: 0, description: 'hairline crack in part', version: opened.version });
      assert.notEqual(relabelled.version, opened.version, 'the relabel answers the new version');
      assert.equal(recordOf(out, record.image).regions[0].description, 'hairline crack in part');

      // The editor saves its copy, read before the relabel: refused, and the relabel stays.
      await refusedAsStale(client.request(SaveRegionsRequest, opened), /changed since|reload/i);
      assert.equal(recordOf(out, record.image).regions[0].description, 'hairline crack in part');
      // A relabel from an old queue is refused the same way.
      await refusedAsStale(client.request(RelabelRegionRequest, { image, region: 0, description: 'a dent', version: opened.version }), /changed since|reload/i);
      assert.equal(recordOf(out, record.image).regions[0].description, 'hairline crack in part');

      // Reloaded, the editor holds the new label; its save goes through and keeps it.
      const reloaded = await client.request(LoadRegionsRequest, { image });
      assert.equal(reloaded.version, relabelled.version, 'the reload reads the version the relabel wrote');
      assert.equal(reloaded.regions[0].description, 'hairline crack in part');
      const saved = await client.request(SaveRegionsRequest, reloaded);
      assert.equal(recordOf(out, record.image).regions[0].description, 'hairline crack in part');
      assert.equal(saved.version, (await client.request(LoadRegionsRequest, { image })).version, 'the save answers the version it wrote');
      assert.equal(runCli(['validate', out]).code, 0);

      // Another image's record changing is no conflict for this one.
      const other = readJsonl<ImageRecord>(join(out, 'test.jsonl')).find((r) => r.image !== record.image) as ImageRecord;
      await client.request(RelabelRegionRequest, { image: join(out, other.image), region: 0, description: 'a scratch on part' });
      const again = await client.request(SaveRegionsRequest, { ...reloaded, version: saved.version });
      assert.equal(again.version, saved.version);
    });
  });

  it('a source mask written by someone else since it was read: the save is refused and the file keeps their pixels', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-second-writer-mask', async (dir) => {
      const image = join(dir, 'part', 'test', 'crack', '000.png');
      const mask = join(dir, 'part', 'ground_truth', 'crack', '000_mask.png');
      await writeImage(image, 16, 16);
      await writeGreyPng(mask, 16, 16, [[2, 2], [3, 2], [2, 3]]);
      const client = newClient(t);
      const opened = await client.request(LoadRegionsRequest, { image });
      assert.equal(opened.source.kind, 'mask');
      await writeGreyPng(mask, 16, 16, [[10, 10], [11, 10]]);
      const theirs = readFileSync(mask);
      await refusedAsStale(client.request(SaveRegionsRequest, opened), /000_mask\.png/);
      assert.deepEqual(readFileSync(mask), theirs);
      const reloaded = await client.request(LoadRegionsRequest, { image });
      assert.notEqual(reloaded.version, opened.version);
      await client.request(SaveRegionsRequest, reloaded);
      // A document without a base version (Save As onto a file the user chose) still saves.
      writeFileSync(mask, theirs);
      const { version: _ignored, ...unversioned } = opened;
      await client.request(SaveRegionsRequest, unversioned);
    });
  });
});
