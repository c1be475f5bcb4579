// Where the mask editor's saves may write and delete, through the child server: never outside a
// built dataset (not through a symbolic link its record or its log of written files names, not
// after its record was changed on disk to a path outside), and a mask the conventions do not find
// beside the image only when the editor opened it, or as a new file, inside a workspace folder.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { LoadRegionsRequest, SaveRegionsRequest, type LoadRegionsResult } from '../../../server/rpc/protocol';
import type { ImageRecord } from '../../../server/dataset/format';
import { buildJson, readJsonl } from '../dataset/cli';
import { withTempDir, writeGreyPng, writeImage } from '../dataset/fixtures';
import { writeBlobSource } from '../dataset/blobSource';
import { ensureBuilt, labelsOf, newClient, textOf, userError } from './fixtures';

/** Every file below `dir` with its bytes. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name)] = readFileSync(join(entry.parentPath, entry.name)).toString('base64');
  }
  return out;
}

/** A built dataset of two blob images; `out` is the dataset, `outside` a folder beside it. */
async function builtDataset(dir: string): Promise<{ out: string; outside: string; records: ImageRecord[] }> {
  const src = join(dir, 'src');
  const out = join(dir, 'out');
  await writeBlobSource(src, 'crack', 2);
  assert.equal(buildJson([src, '--out', out]).code, 0);
  const outside = join(dir, 'elsewhere');
  mkdirSync(outside);
  return { out, outside, records: readJsonl<ImageRecord>(join(out, 'test.jsonl')) };
}

function writeRecords(out: string, records: ImageRecord[]): void {
  writeFileSync(join(out, 'test.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** The document without the version it was read at: these saves test where they write, not whether the regions moved on. */
function unversioned(doc: LoadRegionsResult): LoadRegionsResult {
  const { version: _, ...rest } = doc as LoadRegionsResult & { version?: string };
  return rest;
}

describe('mask editor saves stay inside the dataset', () => {
  it('a record whose masks lie behind a link out of the dataset: loading names the link; a save writes and deletes nothing there', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-editor-link', async (dir) => {
      const { out, outside, records } = await builtDataset(dir);
      const [record] = records;
      // The record's masks move out of the dataset; masks/evil leads to them.
      for (const region of record.regions) renameSync(join(out, region.mask), join(outside, basename(region.mask)));
      symlinkSync(outside, join(out, 'masks', 'evil'));
      const linked = { ...record, regions: record.regions.map((r) => ({ ...r, mask: `masks/evil/${basename(r.mask)}` })) };
      writeRecords(out, [linked, ...records.slice(1)]);
      const before = contents(outside);

      const client = newClient(t);
      const image = join(out, record.image);
      await assert.rejects(client.request(LoadRegionsRequest, { image }), userError(/masks\/evil\/000_0\.[0-9a-f]{8}\.png" leads outside the dataset root through the symbolic link .*masks.evil/));

      // A client that saves anyway: with no region (nothing to write, old masks to prune) and with one.
      const { width, height } = record;
      const source = { kind: 'dataset', root: out, split: 'test', line: 1, record: linked, descriptions: [] } as LoadRegionsResult['source'];
      const empty = { image, width, height, source, labels: textOf(new Uint16Array(width * height)), regions: [] };
      await assert.rejects(client.request(SaveRegionsRequest, empty), userError(/outside the dataset root through the symbolic link/));
      const one = new Uint16Array(width * height);
      one.fill(1, 0, 40);
      await assert.rejects(
        client.request(SaveRegionsRequest, { ...empty, labels: textOf(one), regions: [{ id: 1, defect: 'crack', description: 'crack in part' }] }),
        userError(/outside the dataset root through the symbolic link/),
      );
      assert.deepEqual(contents(outside), before, 'nothing outside the dataset is written or deleted');
    });
  });

  it('the log of written files names a file behind a link: an editor save with no edit deletes nothing outside', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-editor-log-link', async (dir) => {
      const { out, outside, records } = await builtDataset(dir);
      writeFileSync(join(outside, 'precious.png'), 'not ours');
      symlinkSync(outside, join(out, 'masks', 'evil'));
      appendFileSync(join(out, '.anomaly-lens', 'written.log'), 'masks/evil/precious.png\n');
      const before = contents(outside);

      const client = newClient(t);
      const loaded = await client.request(LoadRegionsRequest, { image: join(out, records[0].image) });
      await client.request(SaveRegionsRequest, loaded);
      assert.deepEqual(contents(outside), before, 'the file behind the link is still there');
    });
  });

  it('a record changed on disk after loading to name masks in ../escaped: the save refuses and writes nothing outside', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-editor-escape', async (dir) => {
      const { out, records } = await builtDataset(dir);
      const client = newClient(t);
      const loaded = await client.request(LoadRegionsRequest, { image: join(out, records[0].image) });
      const [record] = records;
      writeRecords(out, [{ ...record, regions: record.regions.map((r, k) => ({ ...r, mask: `../escaped/000_${k}.png` })) }, ...records.slice(1)]);

      await assert.rejects(client.request(SaveRegionsRequest, unversioned(loaded)), userError(/escapes the dataset root/));
      assert.ok(!existsSync(join(dir, 'escaped')), 'no folder is made outside the dataset');
    });
  });
});

describe('a mask the conventions do not find: only the one the editor opened, or a new one, inside a workspace folder', () => {
  it('writes an opened or new mask inside the workspace and refuses any other path', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-editor-bare', async (dir) => {
      const ws = join(dir, 'ws');
      const image = join(ws, 'img', 'a.png');
      const kept = join(ws, 'img', 'kept_mask.png');
      const chosen = join(ws, 'img', 'a_mask.png');
      const outsideMask = join(dir, 'outside', 'a_mask.png');
      await writeImage(image, 6, 4);
      for (const file of [kept, chosen, outsideMask]) await writeGreyPng(file, 6, 4, [[1, 1]]);
      mkdirSync(join(dir, 'outside', 'linked'));
      symlinkSync(join(dir, 'outside', 'linked'), join(ws, 'linked'));
      const before = { ws: contents(ws), outside: contents(join(dir, 'outside')) };

      const client = newClient(t, { env: { ANOMALY_LENS_WORKSPACE_FOLDERS: JSON.stringify([ws]) } });
      const empty = await client.request(LoadRegionsRequest, { image });
      assert.equal(empty.source.kind, 'none');
      const labels = new Uint16Array(24);
      labels.fill(1, 8, 12);
      const doc = { ...empty, labels: textOf(labels), regions: [{ id: 1, defect: 'stain', description: 'stain' }] };
      const saveTo = (mask: string) => client.request(SaveRegionsRequest, { ...doc, source: { kind: 'mask', mask, defect: '', object: '' } });

      await assert.rejects(saveTo(outsideMask), userError(/a_mask\.png: the mask editor writes a mask it did not find beside the image only inside a workspace folder/));
      await assert.rejects(saveTo(join(dir, 'outside', 'new_mask.png')), userError(/only inside a workspace folder/));
      await assert.rejects(saveTo(join(ws, 'linked', 'new_mask.png')), userError(/only inside a workspace folder/));
      await assert.rejects(saveTo(kept), userError(/kept_mask\.png: exists and was not opened for .*a\.png in the mask editor/));
      await assert.rejects(saveTo(image), userError(/is the image itself/));
      assert.deepEqual({ ws: contents(ws), outside: contents(join(dir, 'outside')) }, before, 'nothing is written');

      // The mask the editor opened (Choose mask…) saves.
      const opened = await client.request(LoadRegionsRequest, { image, mask: chosen });
      assert.equal(opened.source.kind, 'mask');
      await client.request(SaveRegionsRequest, { ...opened, labels: textOf(labels), regions: doc.regions });
      assert.deepEqual(Array.from(labelsOf((await client.request(LoadRegionsRequest, { image, mask: chosen })).labels), (v) => (v ? 1 : 0)), Array.from(labels));

      // A new file (the first save of an image without a mask, or Save As) saves, and saves again.
      const fresh = join(ws, 'img', 'new_mask.png');
      await saveTo(fresh);
      assert.ok(existsSync(fresh));
      await saveTo(fresh);
      assert.deepEqual(contents(join(dir, 'outside')), before.outside, 'nothing is written outside the workspace');
    });
  });

  it('with no workspace folder, a chosen or new mask is refused in words', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-editor-no-ws', async (dir) => {
      const image = join(dir, 'a.png');
      await writeImage(image, 6, 4);
      const client = newClient(t, { env: { ANOMALY_LENS_WORKSPACE_FOLDERS: '' } });
      const empty = await client.request(LoadRegionsRequest, { image });
      await assert.rejects(client.request(SaveRegionsRequest, { ...empty, source: { kind: 'mask', mask: join(dir, 'a_mask.png'), defect: '', object: '' } }), userError(/no workspace folder is open/));
      assert.ok(!existsSync(join(dir, 'a_mask.png')));
    });
  });
});
