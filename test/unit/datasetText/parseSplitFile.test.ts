import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSplitFile } from '../../../server/datasetText/parseSplitFile';
import type { Range } from '../../../server/datasetText/range';
import { sampleLines, sampleRecord } from './fixtures';

function textAt(text: string, r: Range): string {
  const lines = text.split('\n');
  assert.equal(r.start.line, r.end.line);
  return lines[r.start.line].slice(r.start.character, r.end.character);
}

test('each record knows the range of its fields and of its regions\' fields', () => {
  const text = `${JSON.stringify(sampleRecord(0))}\n\n  ${JSON.stringify(sampleRecord(1, 3))}  \r\n`;
  const { records, errors } = parseSplitFile(text);
  assert.deepEqual(errors, []);
  assert.equal(records.length, 2);
  const [a, b] = records;
  assert.equal(a.line, 0);
  assert.equal(b.line, 2);
  assert.deepEqual(b.value, sampleRecord(1, 3));
  assert.equal(textAt(text, b.range), JSON.stringify(sampleRecord(1, 3)));
  assert.equal(textAt(text, b.fields.image!.key), '"image"');
  assert.equal(textAt(text, b.fields.image!.value), '"images/test/tire/combined/001.9c41d2aa.png"');
  assert.equal(textAt(text, b.fields.width!.value), '600');
  assert.equal(b.regions.length, 3);
  const r2 = b.regions[2];
  assert.equal(textAt(text, r2.range), JSON.stringify((sampleRecord(1, 3).regions as unknown[])[2]));
  assert.equal(textAt(text, r2.fields.mask!.value), '"masks/test/tire/combined/001_2.5be07f13.png"');
  assert.equal(textAt(text, r2.fields.bbox!.value), '[12,20,30,40]');
  assert.equal(textAt(text, r2.fields.area!.value), '756');
  assert.equal(textAt(text, r2.fields.defect!.value), '"cut"');
  assert.equal(textAt(text, r2.fields.description!.value), '"a cut in the tire"');
});

test('a malformed line is an error with the offending token\'s range; the other lines still parse', () => {
  const good = JSON.stringify(sampleRecord(0));
  const text = `${good}\n{"image":"a.png","width":60O}\n${good}`;
  const { records, errors } = parseSplitFile(text);
  assert.deepEqual(records.map((r) => r.line), [0, 2]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].line, 1);
  assert.equal(textAt(text, errors[0].range), '60O'.slice(2));
  assert.match(errors[0].message, /^not valid JSON: expected ',' or '}', found 'O'/);
});

test('a split file of 100,000 lines parses, every record with its ranges (its speed: npm run bench:language)', () => {
  const text = sampleLines(100_000);
  const { records, errors } = parseSplitFile(text);
  assert.equal(errors.length, 0);
  assert.equal(records.length, 100_000);
  assert.equal(records[99_999].line, 99_999);
  assert.equal(textAt(text, records[99_999].regions[0].fields.mask!.value), '"masks/test/tire/combined/99999_0.5be07f13.png"');
});
