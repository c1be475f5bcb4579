// split --out never writes over its input and never removes a file it did not write.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPLIT_MARKER } from '../../../server/image/regionFiles';
import { writePngFixture } from '../image/pngFixture';
import { runCliTimed } from '../image/runCli';
import { useTempDir } from '../image/tempDir';

// Three regions (8-connected blobs far apart), then one.
const W = 9;
const H = 3;
const THREE = [255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const ONE = [255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

describe('split --out', () => {
  const at = useTempDir('split-out');

  it('refuses, exit 2 and nothing written, when a region file it would write is the input mask', () => {
    const dir = at('self');
    mkdirSync(dir);
    const input = join(dir, 'region-000.png');
    writePngFixture(input, W, H, 'grey', 8, THREE);
    const before = readFileSync(input);
    const run = runCliTimed(['split', input, '--out', dir]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^anomaly-lens: .*region-000\.png: --out .* would write over the input mask/);
    assert.deepEqual(readFileSync(input), before, 'the input is unchanged');
    assert.deepEqual(readdirSync(dir), ['region-000.png'], 'nothing else was written');
  });

  it('refuses when the input is another name (link or hard link) of a file it would write or remove', () => {
    const dir = at('links');
    mkdirSync(dir);
    const original = join(dir, 'region-001.png');
    writePngFixture(original, W, H, 'grey', 8, THREE);
    const hard = at('hard-link.png');
    linkSync(original, hard);
    const soft = at('soft-link.png');
    symlinkSync(original, soft);
    for (const input of [hard, soft]) {
      const run = runCliTimed(['split', input, '--out', dir]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /would write over the input mask/);
      assert.deepEqual(readdirSync(dir), ['region-001.png']);
    }
    // Keeping no region (min-area 2), the split writes no region-001.png, but the marker of an
    // earlier run lists it: removing it would remove the input.
    writeFileSync(join(dir, SPLIT_MARKER), JSON.stringify({ files: ['region-000.png', 'region-001.png'] }));
    const run = runCliTimed(['split', soft, '--out', dir, '--min-area', '2']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /would remove the input mask/);
  });

  it('never writes through a link in the folder: the list of written files replaces a link, not its target', () => {
    const dir = at('marker-link');
    mkdirSync(dir);
    const precious = at('precious.txt');
    writeFileSync(precious, 'keep me');
    symlinkSync(precious, join(dir, SPLIT_MARKER));
    const mask = at('marker-mask.png');
    writePngFixture(mask, W, H, 'grey', 8, ONE);
    const run = runCliTimed(['split', mask, '--out', dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(precious, 'utf8'), 'keep me');
    assert.equal(lstatSync(join(dir, SPLIT_MARKER)).isFile(), true);
  });

  it('removes only the region files an earlier split wrote; other files stay', () => {
    const dir = at('rerun');
    const mask = at('mask.png');
    writePngFixture(mask, W, H, 'grey', 8, THREE);
    const first = runCliTimed(['split', mask, '--out', dir]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(readdirSync(dir).sort(), [SPLIT_MARKER, 'region-000.png', 'region-001.png', 'region-002.png']);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'region-007.png'), 'a file of the user');

    writePngFixture(mask, W, H, 'grey', 8, ONE);
    const second = runCliTimed(['split', mask, '--out', dir]);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(readdirSync(dir).sort(), [SPLIT_MARKER, 'notes.txt', 'region-000.png', 'region-007.png']);
    assert.equal(readFileSync(join(dir, 'region-007.png'), 'utf8'), 'a file of the user');
    assert.match(second.stderr, /warning: .*1 region file\(s\) not written by this split left in place: region-007\.png/);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SPLIT_MARKER), 'utf8')).files, ['region-000.png']);
  });
});
