// `build` end to end on a source holding a 240-character file name, a file name that is not
// valid UTF-8 and an image linked to a file outside the source: the long name is built, the
// other two are reported (naming the folder or the link) and left out, and the rest is built.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildJson, ensureBuilt, readJsonl, runCli } from '../dataset/cli';
import { withTempDir } from '../dataset/fixtures';

before(ensureBuilt);

async function png(file: string, grey: boolean): Promise<void> {
  const pixels = Buffer.alloc(8 * 8, grey ? 0 : 90);
  if (grey) for (let y = 2; y < 5; y++) for (let x = 2; x < 5; x++) pixels[y * 8 + x] = 255;
  await sharp(pixels, { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(file);
}

describe('build: awkward source file names and links', () => {
  it('builds a 240-character name, reports a non-UTF-8 name and a link leading out, and builds the rest', async () => {
    await withTempDir('names', async (dir) => {
      const cut = join(dir, 'src', 'part', 'cut');
      mkdirSync(cut, { recursive: true });
      const long = `${'n'.repeat(236)}.png`;
      assert.equal(long.length, 240);
      await png(join(cut, long), false);
      await png(join(cut, `${'n'.repeat(236)}_mask.png`), true);
      await png(join(cut, 'plain.png'), false);
      await png(join(cut, 'plain_mask.png'), true);
      writeFileSync(Buffer.concat([Buffer.from(`${cut}/bad`), Buffer.from([0xff]), Buffer.from('.png')]), 'not read');
      const outside = join(dir, 'secret.png');
      await png(outside, false);
      symlinkSync(outside, join(cut, 'linked.png'));
      await png(join(cut, 'linked_mask.png'), true);

      const out = join(dir, 'out');
      const { code, result, stderr } = buildJson([join(dir, 'src'), '--out', out, '--workers', '1']);
      assert.equal(code, 0, stderr);
      assert.deepEqual(
        result.problems.map((p) => [p.severity, p.file, p.message]),
        [
          ['warning', cut, 'file name is not valid UTF-8: "bad\\xFF.png"; ignored (rename it to read it)'],
          ['warning', join(cut, 'linked.png'), `symbolic link leads outside the source folder (to ${outside}); the image or mask reached through it is ignored`],
        ],
      );
      const records = (['train', 'val', 'test'] as const).flatMap((s) => readJsonl(join(out, `${s}.jsonl`)));
      assert.equal(records.length, 2);
      assert.ok(records.some((r) => (r as { image: string }).image.includes('n'.repeat(236))), JSON.stringify(records));
      const validate = runCli(['validate', out]);
      assert.equal(validate.code, 0, validate.stdout + validate.stderr);
      const leftovers = readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
      assert.deepEqual(leftovers, []);
    });
  });
});
