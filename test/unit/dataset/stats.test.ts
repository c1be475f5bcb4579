import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStats, statsMarkdown } from '../../../server/dataset/stats';
import type { ImageRecord } from '../../../server/dataset/format';

let n = 0;
function rec(object: string, defect: string, regionDefects: string[]): ImageRecord {
  n++;
  return {
    image: `images/x/${object}/${defect}/${n}.png`,
    object,
    defect,
    width: 8,
    height: 8,
    regions: regionDefects.map((d, k) => ({ mask: `masks/x/${n}_${k}.png`, bbox: [0, 0, 1, 1], area: 1, defect: d, description: `${d} on ${object}` })),
  };
}

const records = {
  train: [rec('bottle', 'crack', ['crack']), rec('bottle', 'crack', ['crack', 'crack']), rec('grid', 'bent', ['bent', 'bent', 'bent', 'bent'])],
  val: [rec('bottle', 'crack', ['crack', 'crack', 'crack'])],
  test: [rec('tire', 'combined', ['cut', 'hole']), rec('tire', 'cut', ['cut', 'cut', 'cut', 'cut', 'cut']), rec('bottle', 'crack', ['crack'])],
};

test('Table 1 counts images per object and split, with a total row', () => {
  const stats = computeStats(records);
  assert.deepEqual(
    stats.objects.map((r) => [r.label, r.counts.train, r.counts.val, r.counts.test, r.total]),
    [
      ['bottle', 2, 1, 1, 4],
      ['grid', 1, 0, 0, 1],
      ['tire', 0, 0, 2, 2],
    ],
  );
  assert.deepEqual(stats.objectsTotal, { label: 'Total', counts: { train: 3, val: 1, test: 3 }, total: 7 });
});

test('Table 2 counts images by number of regions 1, 2, 3, 4+', () => {
  const stats = computeStats(records);
  assert.deepEqual(
    stats.regionsPerImage.map((r) => [r.label, r.counts.train, r.counts.val, r.counts.test]),
    [
      ['1', 1, 0, 1],
      ['2', 1, 0, 1],
      ['3', 0, 1, 0],
      ['4+', 1, 0, 1],
    ],
  );
  assert.deepEqual(stats.regionsPerImageTotal.counts, { train: 3, val: 1, test: 3 });
});

test('regions are counted per defect class of the region, not of the image folder', () => {
  const stats = computeStats(records);
  assert.deepEqual(
    stats.defects.map((r) => [`${r.object}/${r.defect}`, r.counts.train, r.counts.val, r.counts.test, r.total]),
    [
      ['bottle/crack', 3, 3, 1, 7],
      ['grid/bent', 4, 0, 0, 4],
      ['tire/cut', 0, 0, 6, 6],
      ['tire/hole', 0, 0, 1, 1],
    ],
  );
  assert.deepEqual(stats.defectsTotal.counts, { train: 7, val: 3, test: 8 });
  assert.equal(stats.defectsTotal.total, 18);
});

test('images without regions get a 0 row only when there are some', () => {
  assert.equal(computeStats(records).regionsPerImage.some((r) => r.label === '0'), false);
  const stats = computeStats({ train: [rec('a', 'b', [])], val: [], test: [] });
  assert.deepEqual(stats.regionsPerImage[0], { label: '0', counts: { train: 1, val: 0, test: 0 }, total: 1 });
});

test('the Markdown lays the tables out like the paper, with thousands separators', () => {
  const many = { train: Array.from({ length: 1318 }, () => rec('bottle', 'crack', ['crack'])), val: [], test: [] };
  const md = statsMarkdown(computeStats(many, { bottle: 20 }));
  assert.ok(
    md.includes(
      [
        '| Object | Train | Validation | Test |',
        '| --- | ---: | ---: | ---: |',
        '| bottle | 1,318 | 0 | 0 |',
        '| **Total** | **1,318** | **0** | **0** |',
      ].join('\n'),
    ),
    md,
  );
  assert.ok(md.includes('| Number of regions | Train | Validation | Test |\n| --- | ---: | ---: | ---: |\n| 1 | 1,318 | 0 | 0 |'), md);
  assert.ok(md.includes('| bottle | crack | 1,318 | 0 | 0 | 1,318 |'), md);
  assert.ok(md.includes('| bottle | 20 |'), md);
});

test('a | in an object or defect name is escaped, so every row of stats.md keeps its columns', () => {
  const piped = { train: [rec('cap|top', 'scratch|dent', ['scratch|dent'])], val: [], test: [] };
  const markdown = statsMarkdown(computeStats(piped, { 'cap|top': 2 }));
  const columns = (line: string) => line.split(/(?<!\\)\|/).length;
  for (const table of markdown.split(/\n\n(?=\|)/).map((t) => t.split('\n').filter((l) => l.startsWith('|')))) {
    for (const line of table) assert.equal(columns(line), columns(table[0]), line);
  }
  assert.match(markdown, /\| cap\\\|top \| scratch\\\|dent \| 1 \|/);
});
