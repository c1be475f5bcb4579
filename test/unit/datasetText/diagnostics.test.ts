import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkImageRecord } from '../../../server/dataset/schema';
import { type FileFacts, splitFileDiagnostics } from '../../../server/datasetText/diagnostics';
import { parseSplitFile } from '../../../server/datasetText/parseSplitFile';
import { applyLineEdits, quickFixes } from '../../../server/datasetText/quickFixes';
import type { Range } from '../../../server/datasetText/range';
import { SAMPLE_DESCRIPTIONS, sampleRecord } from './fixtures';

const at = (text: string, r: Range) => text.split('\n')[r.start.line].slice(r.start.character, r.end.character);
const line = (v: unknown) => JSON.stringify(v);

test('a valid record with matching facts has no diagnostics', () => {
  const rec = sampleRecord(0);
  const files = new Map<string, FileFacts>([[rec.image as string, { exists: true, width: 600, height: 800 }]]);
  for (const r of rec.regions as { mask: string; bbox: number[]; area: number }[]) files.set(r.mask, { exists: true, width: 600, height: 800, bbox: r.bbox as FileFacts['bbox'], area: r.area });
  assert.deepEqual(splitFileDiagnostics(parseSplitFile(line(rec)), { root: '/data/ds', descriptions: SAMPLE_DESCRIPTIONS, files }), []);
});

test('malformed lines, missing fields and wrong types get the engine\'s messages on the field\'s range', () => {
  const missing = sampleRecord(1);
  delete missing.object;
  const wrong = sampleRecord(2);
  (wrong.regions as Record<string, unknown>[])[1].bbox = [1, 2, 0, 4];
  wrong.width = '600';
  const text = [line(sampleRecord(0)), '{"image": "a.png",, }', line(missing), line(wrong)].join('\n');
  const diags = splitFileDiagnostics(parseSplitFile(text));
  assert.deepEqual(diags.map((d) => [d.line, d.code, at(text, d.range)]), [
    [1, 'malformed-json', ','],
    [2, 'missing-field', line(missing)],
    [3, 'wrong-type', '"600"'],
    [3, 'wrong-type', '[1,2,0,4]'],
  ]);
  assert.deepEqual(diags.slice(1).map((d) => d.message), [...checkImageRecord(missing), ...checkImageRecord(wrong)]);
  assert.equal(diags[3].region, 1);
  assert.ok(diags.every((d) => d.severity === 'error'));
});

test('paths escaping the root and descriptions not in dataset.json', () => {
  const rec = sampleRecord(0);
  rec.image = '../outside.png';
  const regions = rec.regions as Record<string, unknown>[];
  regions[0].mask = '/etc/passwd';
  regions[1].description = 'a hole';
  regions[0].defect = 'scratch';
  const text = line(rec);
  const diags = splitFileDiagnostics(parseSplitFile(text), { root: '/data/ds', descriptions: SAMPLE_DESCRIPTIONS });
  assert.deepEqual(diags.map((d) => [d.code, at(text, d.range), d.region]), [
    ['path-escapes', '"../outside.png"', undefined],
    ['description-unknown', '"a cut in the tire"', 0],
    ['path-escapes', '"/etc/passwd"', 0],
    ['description-differs', '"a hole"', 1],
  ]);
  assert.match(diags[0].message, /escapes the dataset root/);
});

test('file facts: missing image and mask, wrong mask size, bbox and area that do not match, with quick fixes', () => {
  const rec = sampleRecord(0, 3);
  const regions = rec.regions as { mask: string }[];
  const files = new Map<string, FileFacts>([
    [rec.image as string, { exists: false }],
    [regions[0].mask, { exists: true, width: 600, height: 800, bbox: [1, 2, 3, 4], area: 9 }],
    [regions[1].mask, { exists: false }],
    [regions[2].mask, { exists: true, width: 300, height: 800 }],
  ]);
  const text = line(rec);
  const parsed = parseSplitFile(text);
  const diags = splitFileDiagnostics(parsed, { files });
  assert.deepEqual(diags.map((d) => [d.code, at(text, d.range)]), [
    ['image-missing', `"${rec.image}"`],
    ['bbox-mismatch', '[10,20,30,40]'],
    ['area-mismatch', '754'],
    ['mask-missing', `"${regions[1].mask}"`],
    ['mask-size', `"${regions[2].mask}"`],
  ]);
  const facts = (p: string) => files.get(p);
  const record = parsed.records[0];
  const bboxFixes = quickFixes(record, diags[1], facts);
  assert.deepEqual(bboxFixes.map((f) => f.title), ['Recompute the bounding box from the mask', 'Recompute bounding box and area from the mask']);
  const fixed = JSON.parse(applyLineEdits(text, bboxFixes[1].edits));
  assert.deepEqual(fixed.regions[0].bbox, [1, 2, 3, 4]);
  assert.equal(fixed.regions[0].area, 9);
  assert.deepEqual(splitFileDiagnostics(parseSplitFile(line(fixed)), { files }).map((d) => d.code), ['image-missing', 'mask-missing', 'mask-size']);
  const drop = quickFixes(record, diags[3], facts);
  assert.equal(drop.length, 1);
  const dropped = JSON.parse(applyLineEdits(text, drop[0].edits));
  assert.deepEqual(dropped.regions, [(rec.regions as unknown[])[0], (rec.regions as unknown[])[2]]);
  assert.deepEqual(quickFixes(record, diags[4], facts), []);
});

test('dropping a region keeps the line valid JSON whichever element it is, with any spacing', () => {
  for (const count of [1, 2, 3]) {
    for (const spacing of [0, 2]) {
      const rec = sampleRecord(0, count);
      const text = JSON.stringify(rec, null, spacing).replace(/\n/g, spacing ? ' ' : '');
      for (let i = 0; i < count; i++) {
        const record = parseSplitFile(text).records[0];
        const mask = (rec.regions as { mask: string }[])[i].mask;
        const diag = splitFileDiagnostics(parseSplitFile(text), { files: new Map([[mask, { exists: false }]]) })[0];
        const [fix] = quickFixes(record, diag, () => ({ exists: false }));
        const edited = JSON.parse(applyLineEdits(text, fix.edits));
        const expected = (rec.regions as unknown[]).filter((_, k) => k !== i);
        assert.deepEqual(edited.regions, expected, `dropping ${i} of ${count}`);
      }
    }
  }
});
