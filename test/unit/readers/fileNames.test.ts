// File names that are not valid UTF-8: reported as such, naming the folder and the name with
// its invalid bytes escaped, instead of being mistaken for broken symbolic links.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFileName, escapeFileName } from '../../../server/dataset/readers/fileNames';
import { readSource } from '../../../server/dataset/readers';
import { summary, treeMaker } from './helpers';

const tree = treeMaker('names');

describe('file names that are not valid UTF-8', () => {
  it('are reported with the folder and the escaped name, and the other files are read', async () => {
    const root = await tree({ 'obj/cut/a.png': 'image', 'obj/cut/a_mask.png': 'mask', 'obj/good/g.png': 'image' });
    const dir = join(root, 'obj/good');
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9, 0xff]), Buffer.from('\u00e9.png')]), 'not read');
    const ds = await readSource(root);
    assert.deepEqual(summary(ds), ['obj/cut/a.png | obj/cut/a_mask.png | obj cut -', 'obj/good/g.png | - | obj good -']);
    assert.deepEqual(
      ds.problems.map((p) => [p.file, p.severity, p.message]),
      [[dir, 'warning', 'file name is not valid UTF-8: "caf\\xE9\\xFF\u00e9.png"; ignored (rename it to read it)']],
    );
    assert.ok(!ds.problems.some((p) => p.message.includes('symbolic link')));
  });

  it('escape only the bytes outside valid sequences', () => {
    const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    assert.equal(decodeFileName(bytes('ok-\u00fc\u{1f600}.png')), 'ok-\u00fc\u{1f600}.png');
    assert.equal(decodeFileName(bytes('a', [0xc3])), undefined);
    assert.equal(escapeFileName(bytes('a', [0xc3])), 'a\\xC3');
    assert.equal(escapeFileName(bytes([0xc0, 0xaf], 'x')), '\\xC0\\xAFx', 'overlong encodings are invalid');
    assert.equal(escapeFileName(bytes([0xed, 0xa0, 0x80])), '\\xED\\xA0\\x80', 'surrogates are invalid');
    assert.equal(escapeFileName(bytes('\u00fc', [0x80], '\u{1f600}', [0xf0, 0x9f])), '\u00fc\\x80\u{1f600}\\xF0\\x9F');
    assert.equal(escapeFileName(bytes('back\\slash', [0xff])), 'back\\\\slash\\xFF');
  });
});
