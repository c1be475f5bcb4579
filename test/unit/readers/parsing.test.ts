import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseClassIds } from '../../../server/dataset/readers/classIds';
import { columnIndex, parseCsv } from '../../../server/dataset/readers/csv';
import { parseLabelText } from '../../../server/dataset/readers/visaAnnotations';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF, a BOM, and skips blank lines', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\n1,,3\n';
    assert.deepEqual(parseCsv(text), [
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['x, y', 'say "hi"', 'two\nlines'], line: 2 },
      { fields: ['1', '', '3'], line: 5 },
    ]);
  });

  it('reads the last record without a final line end', () => {
    assert.deepEqual(parseCsv('a,b\n1,2').map((r) => r.fields), [['a', 'b'], ['1', '2']]);
  });

  it('refuses an unterminated quoted field, naming its line', () => {
    assert.throws(() => parseCsv('a,b\n1,"open\n'), /line 2: quoted field is not closed/);
  });

  it('round-trips any table written with quotes', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', ' ', 'é') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\n');
        assert.deepEqual(parseCsv(text).map((r) => r.fields), rows);
      }),
    );
  });

  it('finds columns by name in any order and names the missing ones', () => {
    assert.deepEqual(columnIndex([' Mask', 'image', 'OBJECT'], ['object', 'image', 'mask']), { object: 2, image: 1, mask: 0 });
    assert.throws(() => columnIndex(['object'], ['object', 'image', 'mask']), /missing columns image, mask/);
  });
});

describe('parseClassIds', () => {
  it('keeps the defect classes, leaving out 0 and "good"', () => {
    assert.deepEqual(parseClassIds({ 0: 'good', 255: 'contamination', 254: ' cut ', 7: 'good' }), { 255: 'contamination', 254: 'cut' });
  });

  it('names what is malformed', () => {
    assert.match(parseClassIds([1, 2]) as string, /expected an object/);
    assert.match(parseClassIds('x') as string, /expected an object/);
    assert.match(parseClassIds({ '-1': 'a' }) as string, /key "-1" is not a mask value/);
    assert.match(parseClassIds({ 70000: 'a' }) as string, /key "70000"/);
    assert.match(parseClassIds({ 1.5: 'a' }) as string, /key "1.5"/);
    assert.match(parseClassIds({ 3: 3 }) as string, /value of "3" is not a defect name/);
    assert.match(parseClassIds({ 3: '' }) as string, /value of "3"/);
  });
});

describe('parseLabelText', () => {
  it('splits VisA label text into defect names', () => {
    assert.deepEqual(parseLabelText('chunk of wax missing'), ['chunk of wax missing']);
    assert.deepEqual(parseLabelText(' melt, scratch ,melt,'), ['melt', 'scratch']);
    assert.deepEqual(parseLabelText('normal'), []);
  });
});
