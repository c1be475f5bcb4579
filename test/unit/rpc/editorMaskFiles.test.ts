// Mask files the mask editor must not save over, through the child server: a ground-truth mask
// that is a symbolic link (a save would replace the link by a file, and the file it points to
// would never get the edit) and a mask path that is a folder.  Each is refused in words naming
// the path, and nothing on disk changes.
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LoadRegionsRequest, SaveRegionsRequest } from '../../../server/rpc/protocol';
import { withTempDir } from '../dataset/fixtures';
import { writeBlobSource } from '../dataset/blobSource';
import { ensureBuilt, labelsOf, newClient, textOf, userError } from './fixtures';

describe('mask files the editor refuses to save over', () => {
  it('a ground-truth mask that is a symbolic link: the save says so and leaves the link and its file as they were', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-mask-link', async (dir) => {
      await writeBlobSource(dir, 'crack', 1);
      const image = join(dir, 'part', 'test', 'crack', '000.png');
      const mask = join(dir, 'part', 'ground_truth', 'crack', '000_mask.png');
      const real = join(dir, 'kept', '000_mask.png');
      mkdirSync(join(dir, 'kept'));
      renameSync(mask, real);
      symlinkSync(real, mask);
      const before = readFileSync(real);

      const client = newClient(t, { env: { ANOMALY_LENS_WORKSPACE_FOLDERS: JSON.stringify([dir]) } });
      const loaded = await client.request(LoadRegionsRequest, { image });
      assert.equal(loaded.source.kind, 'mask');
      assert.ok(loaded.regions.length >= 1, 'the regions read through the link');
      const erased = labelsOf(loaded.labels).map((v) => (v === loaded.regions[0].id ? 0 : v));
      const edited = { ...loaded, labels: textOf(erased), regions: loaded.regions.slice(1) };
      await assert.rejects(client.request(SaveRegionsRequest, edited), userError(/000_mask\.png: is a symbolic link \(to .*kept.000_mask\.png\); the mask editor does not replace a link by a file/));

      assert.ok(lstatSync(mask).isSymbolicLink(), 'the link is still a link');
      assert.equal(readlinkSync(mask), real);
      assert.deepEqual(readFileSync(real), before, 'the file it points to is unchanged');
    });
  });

  it('a mask path that is a folder: loading and saving say so, not EISDIR', async (t) => {
    ensureBuilt();
    await withTempDir('rpc-mask-folder', async (dir) => {
      await writeBlobSource(dir, 'crack', 1);
      const image = join(dir, 'part', 'test', 'crack', '000.png');
      const folder = join(dir, 'part', 'ground_truth', 'crack', 'folder_mask.png');
      mkdirSync(folder);
      const client = newClient(t, { env: { ANOMALY_LENS_WORKSPACE_FOLDERS: JSON.stringify([dir]) } });
      await assert.rejects(client.request(LoadRegionsRequest, { image, mask: folder }), userError(/folder_mask\.png: is a folder, not a mask file/));

      const loaded = await client.request(LoadRegionsRequest, { image });
      await assert.rejects(client.request(SaveRegionsRequest, { ...loaded, source: { kind: 'mask', mask: folder, defect: '', object: '' } }), userError(/folder_mask\.png: is a folder, not a mask file/));
      assert.ok(lstatSync(folder).isDirectory(), 'the folder is left as it was');
    });
  });
});
