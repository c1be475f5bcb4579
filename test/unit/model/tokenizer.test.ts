import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  ClipTokenizer,
  CLIP_MERGE_COUNT,
  cleanText,
  formatMerges,
  htmlUnescape,
  learnMerges,
  parseMerges,
  pretokenize,
  readMergesFile,
  writeMergesFile,
  writeTokenFile,
  type TokenFile,
} from '../../../server/model/tokenizer';
import { UserError } from '../../../server/util/errors';
import { CLIP_MERGES, readGolden } from './fixtures';

const clip = ClipTokenizer.fromFile(CLIP_MERGES);

/** decode(encode(t)) is the cleaned text's pre-tokens joined by single spaces, for any t. */
function assertRoundTrips(tokenizer: ClipTokenizer, numRuns: number): void {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
      fc.pre(!/<\|(startof|endof)text\|>/i.test(cleanText(text)));
      assert.equal(tokenizer.decode(tokenizer.encode(text)), pretokenize(cleanText(text)).join(' '));
    }),
    { numRuns },
  );
}
const golden = readGolden();

describe('CLIP tokenizer against the original', () => {
  it('has the CLIP vocabulary layout', () => {
    assert.equal(clip.vocabSize, 49408);
    assert.equal(clip.startId, 49406);
    assert.equal(clip.endId, 49407);
    assert.equal(clip.mergeCount, CLIP_MERGE_COUNT);
    assert.equal(clip.token(0), '!');
    assert.equal(clip.token(256), '!</w>');
    assert.equal(clip.token(49406), '<|startoftext|>');
  });

  it('reproduces every golden line (ids and input_ids)', () => {
    assert.ok(golden.length >= 100, 'golden file read');
    for (const line of golden) {
      const out = clip.encodeForModel(line.text);
      assert.deepEqual(out.ids, line.ids, line.text);
      assert.deepEqual(out.inputIds, line.input_ids, line.text);
      assert.equal(out.truncated, false);
    }
  });

  it('cuts long inputs to the context and keeps the end token last', () => {
    const text = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const out = clip.encodeForModel(text);
    assert.equal(out.truncated, true);
    assert.ok(out.ids.length > 75);
    assert.equal(out.inputIds.length, 77);
    assert.equal(out.inputIds[0], 49406);
    assert.deepEqual(out.inputIds.slice(1, 76), out.ids.slice(0, 75));
    assert.equal(out.inputIds[76], 49407);
    const exact = clip.encodeForModel(text, out.ids.length + 2);
    assert.equal(exact.truncated, false);
    assert.equal(exact.inputIds.at(-1), 49407);
  });

  it('reads the special tokens written in text as CLIP does', () => {
    assert.deepEqual(clip.encode('<|startoftext|>crack<|endoftext|>'), [49406, 10334, 49407]);
  });
});

describe('text cleaning', () => {
  it('unescapes HTML twice, collapses whitespace, strips and lower-cases', () => {
    assert.equal(cleanText('  Crack &amp;amp; Hole\n\tin&nbsp;Hazelnut  '), 'crack & hole in hazelnut');
    assert.deepEqual(clip.encode('CRACK   in\nhazelnut'), clip.encode('crack in hazelnut'));
  });

  it('repairs what ftfy repairs in clean Unicode text', () => {
    assert.equal(cleanText('It\u2019s \u201cbent\u201d'), 'it\'s "bent"');
    assert.equal(cleanText('caf\u0065\u0301'), 'caf\u00e9');
    assert.equal(cleanText('\ufb01ne \uff21\uff22\u3000x'), 'fine ab x');
    assert.deepEqual(clip.encode('It\u2019s'), clip.encode("It's"));
  });

  it('matches Python html.unescape on tricky references', () => {
    const cases = [
      '&amp;amp;', '&ampx', '&notin', '&notit;', '&notin;', '&#128;', '&#0;', '&#x1F600;', '&lt', '&#xD800;',
      '&#1;', '&#x7f;', '&#xfffe;', '&#x10ffff;', '&#x110000;', '&#13;', '&#x81;', '&unknown;', '&#65', 'a&b',
      '&', '&#', '&#x;', '&Eacute;t&eacute', 'x&gt;y&LT;z', '&#0000000065;',
    ];
    const py = spawnSync('/usr/bin/python3', ['-c', 'import html,json,sys; print(json.dumps([html.unescape(s) for s in json.load(sys.stdin)]))'], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    });
    assert.equal(py.status, 0, py.stderr);
    const expected = JSON.parse(py.stdout) as string[];
    assert.deepEqual(cases.map(htmlUnescape), expected);
  });
});

describe('decode', () => {
  it('gives back the cleaned text of golden lines', () => {
    for (const line of golden) {
      assert.equal(clip.decode(line.input_ids), pretokenize(cleanText(line.text)).join(' '), line.text);
    }
    assert.equal(clip.decode(clip.encode('Crack in hazelnut')), 'crack in hazelnut');
  });

  it('round-trips any text to its pre-tokens joined by spaces', () => {
    assertRoundTrips(clip, 300);
  });

  it('rejects ids outside the vocabulary', () => {
    assert.throws(() => clip.decode([49408]), /outside the vocabulary/);
  });
});

describe('merges files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-merges-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads plain text like .gz and honours maxMerges', () => {
    const plain = join(dir, 'merges.txt');
    writeFileSync(plain, gunzipSync(readFileSync(CLIP_MERGES)));
    const fromPlain = ClipTokenizer.fromFile(plain);
    for (const line of golden.slice(0, 20)) assert.deepEqual(fromPlain.encode(line.text), line.ids);
    const small = ClipTokenizer.fromFile(plain, { maxMerges: 1000 });
    assert.equal(small.vocabSize, 512 + 1000 + 2);
    assert.equal(small.endId, 1513);
    assert.equal(small.decode(small.encode('cut inner insulation of cable')), 'cut inner insulation of cable');
  });

  it('names the file and the line of a malformed merge', () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '#version: 0.2\ni n\nthis line has three\n');
    assert.throws(() => readMergesFile(bad), (err: unknown) => err instanceof UserError && err.message.includes(bad) && err.message.includes('line 3'));
    assert.throws(() => readMergesFile(join(dir, 'missing.txt.gz')), (err: unknown) => err instanceof UserError && /missing\.txt\.gz/.test(err.message));
  });
});

describe('learnMerges', () => {
  const descriptions = golden.map((line) => line.text).filter((text) => /^[a-z ]+$/.test(text));

  it('learns a small vocabulary that round-trips and compresses', () => {
    const merges = learnMerges(descriptions, 200);
    assert.equal(merges.length, 200);
    const tokenizer = new ClipTokenizer(parseMerges(formatMerges(merges)));
    assert.equal(tokenizer.vocabSize, 512 + 200 + 2);
    assert.equal(tokenizer.startId, 712);
    let tokens = 0;
    let bytes = 0;
    for (const text of descriptions) {
      const ids = tokenizer.encode(text);
      assert.equal(tokenizer.decode(ids), cleanText(text));
      tokens += ids.length;
      bytes += Buffer.byteLength(cleanText(text).replace(/ /g, ''));
    }
    assert.ok(tokens < bytes / 3, `${tokens} tokens for ${bytes} bytes`);
    assert.equal(tokenizer.encode('a photo of a hazelnut with crack').length, 7, 'frequent words are single tokens');
  });

  it('writes merges files (.gz or plain) that the tokenizer reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'al-learnt-'));
    try {
      const merges = learnMerges(descriptions, 80);
      for (const name of ['merges.txt.gz', 'merges.txt']) {
        await writeMergesFile(join(dir, name), merges);
        assert.deepEqual(readMergesFile(join(dir, name)), merges);
      }
      assert.equal(readFileSync(join(dir, 'merges.txt'), 'utf8').split('\n')[0], '#version: 0.2');
      assert.deepEqual(readFileSync(join(dir, 'merges.txt.gz')).subarray(0, 2), Buffer.from([0x1f, 0x8b]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is deterministic and independent of text order', () => {
    const a = learnMerges(descriptions, 150);
    assert.deepEqual(learnMerges([...descriptions].reverse(), 150), a);
    assert.deepEqual(learnMerges(descriptions, 150), a);
  });

  it('breaks ties by the pair that sorts first and stops when nothing is left to merge', () => {
    // "ab</w>" and "ba</w>" once each: (a,b) ties with (b,a); "a b" sorts first.
    assert.deepEqual(learnMerges(['ab ba'], 10), [['a', 'b</w>'], ['b', 'a</w>']]);
  });

  it('round-trips arbitrary text with a learnt vocabulary', () => {
    assertRoundTrips(new ClipTokenizer(learnMerges(descriptions, 300)), 200);
  });
});

describe('writeTokenFile', () => {
  it('writes one row per distinct text with input_ids and the tokenizer header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'al-tokens-'));
    try {
      const file = join(dir, 'sub', 'tokens.json');
      const long = Array.from({ length: 90 }, () => 'crack').join(' ');
      const result = await writeTokenFile(['crack in hazelnut', 'scratch in wood', 'crack in hazelnut', long], clip, file);
      assert.deepEqual(result, { count: 3, truncated: [long] });
      const content = JSON.parse(readFileSync(file, 'utf8')) as TokenFile;
      assert.deepEqual(content.tokenizer, { kind: 'clip-bpe', vocabSize: 49408, startId: 49406, endId: 49407, contextLength: 77 });
      assert.deepEqual(content.texts.map((row) => row.text), ['crack in hazelnut', 'scratch in wood', long]);
      assert.deepEqual(content.texts[0].input_ids, golden.find((line) => line.text === 'crack in hazelnut')?.input_ids);
      assert.equal(content.texts[2].input_ids.length, 77);
      assert.equal(content.texts[2].input_ids[76], 49407);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
