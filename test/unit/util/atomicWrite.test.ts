// Atomic writes of files whose names are near the file-name limit: the temporary name beside
// the file must stay within NAME_MAX (255 bytes) itself.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { NAME_MAX, tempPathFor, writeFileAtomic, writeFileAtomicSync } from '../../../server/util/atomicWrite';

const dir = mkdtempSync(join(tmpdir(), 'al-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic writes of long file names', () => {
  for (const [label, name] of [
    ['240 ASCII characters', `${'a'.repeat(236)}.png`],
    ['255 ASCII characters', `${'b'.repeat(251)}.png`],
    ['253 bytes of three-byte characters', `${'\u20ac'.repeat(83)}.png`],
  ] as const) {
    it(`writes a file named with ${label}, leaving no temporary file`, async () => {
      const sub = mkdtempSync(join(dir, 'w-'));
      assert.ok(Buffer.byteLength(name) <= NAME_MAX);
      await writeFileAtomic(join(sub, name), 'first');
      writeFileAtomicSync(join(sub, name), 'second');
      assert.equal(readFileSync(join(sub, name), 'utf8'), 'second');
      assert.deepEqual(readdirSync(sub), [name]);
    });
  }

  it('shortens only names that would exceed the limit, cutting between characters', () => {
    const short = tempPathFor(join(dir, 'report.json'));
    assert.equal(dirname(short), dir);
    assert.match(basename(short), new RegExp(`^\\.report\\.json\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    const long = basename(tempPathFor(join(dir, `${'\u00e9'.repeat(127)}x`)));
    assert.ok(Buffer.byteLength(long) <= NAME_MAX, `${Buffer.byteLength(long)} bytes`);
    assert.ok(!long.includes('\ufffd'));
    assert.match(long, /^\.\u00e9+\.\d+\.[0-9a-f]{8}\.tmp$/);
    assert.notEqual(tempPathFor(join(dir, 'a')), tempPathFor(join(dir, 'a')));
  });
});
