// A bundle's description list must be the one its stored text embeddings were computed for:
// bundle.json records digests of both at export, and the loader refuses a mismatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descriptionsDigest, loadBundle } from '../../../server/model/bundle';
import { defaultBundlePath } from '../../../server/model/defaultBundle';
import { UserError } from '../../../server/util/errors';

function copyOfDefault(): { dir: string; manifestFile: string; manifest: Record<string, unknown> & { descriptions: string[] } } {
  const dir = join(mkdtempSync(join(tmpdir(), 'al-digest-')), 'bundle');
  cpSync(defaultBundlePath(), dir, { recursive: true });
  const manifestFile = join(dir, 'bundle.json');
  return { dir, manifestFile, manifest: JSON.parse(readFileSync(manifestFile, 'utf8')) };
}

const write = (file: string, json: unknown) => writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);

test('the shipped default bundles record digests that match their descriptions and embeddings', () => {
  for (const dir of [defaultBundlePath(), `${defaultBundlePath()}-whole-image`]) {
    const bundle = loadBundle(dir);
    assert.ok(bundle.manifest.digests, dir);
    assert.equal(bundle.manifest.digests.descriptions, descriptionsDigest(bundle.manifest.descriptions));
  }
});

test('a reordered or reworded description list is refused, naming bundle.json', () => {
  const { dir, manifestFile, manifest } = copyOfDefault();
  try {
    const [first, second, ...rest] = manifest.descriptions;
    for (const descriptions of [[second, first, ...rest], [`${first}!`, second, ...rest]]) {
      write(manifestFile, { ...manifest, descriptions });
      assert.throws(() => loadBundle(dir), (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.ok(err.message.startsWith(`${manifestFile}: "descriptions" differ from those the stored text embeddings were computed for`), err.message);
        return true;
      });
    }
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('a text embeddings file other than the exported one is refused', () => {
  const { dir, manifestFile } = copyOfDefault();
  try {
    const file = join(dir, 'text_embeddings.bin');
    const data = readFileSync(file);
    const row = data.length / 19;
    // Same size, every row still unit length: only the digest tells the rows were swapped.
    writeFileSync(file, Buffer.concat([data.subarray(row, 2 * row), data.subarray(0, row), data.subarray(2 * row)]));
    assert.throws(() => loadBundle(dir), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, new RegExp(`^${manifestFile}: ${file} is not the text embeddings file exported with this bundle`));
      return true;
    });
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('a bundle without digests (older exports) still loads, with the row count checked', () => {
  const { dir, manifestFile, manifest } = copyOfDefault();
  try {
    const { digests: _digests, ...older } = manifest;
    write(manifestFile, older);
    assert.equal(loadBundle(dir).manifest.digests, undefined);
    write(manifestFile, { ...older, descriptions: manifest.descriptions.slice(1) });
    assert.throws(() => loadBundle(dir), /text_embeddings\.bin: has \d+ bytes; 18 descriptions/);
    write(manifestFile, { ...manifest, digests: { descriptions: 'abc', textEmbeddings: 'def' } });
    assert.throws(() => loadBundle(dir), /"digests.descriptions" must be a sha256 in hex/);
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('the digest of a description list is that of its compact JSON, as the Python exporter computes it', () => {
  // Pinned in test/trainer/test_export.py too.
  assert.equal(descriptionsDigest(['crack in «tile»', 'tab\there\nnewline', 'quote "q" and \\ back', 'émoji 🙂', '\u0001 control']), '31691b504dfd319b5b34e19003b65d1a0db1666fadac1f5c70beb02af03ca178');
});
