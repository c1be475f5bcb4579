import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignSplits, validationCount, type SplitItem } from '../../../server/dataset/splits';

function items(strata: Record<string, number>): SplitItem[] {
  return Object.entries(strata).flatMap(([stratum, n]) =>
    Array.from({ length: n }, (_, i) => ({ key: `${stratum}/${String(i).padStart(3, '0')}.png`, stratum })),
  );
}

function valKeys(list: SplitItem[], splits: ('train' | 'val')[]): string[] {
  return list.filter((_, i) => splits[i] === 'val').map((it) => it.key).sort();
}

test('validationCount rounds the ratio and keeps every class of two or more in both splits', () => {
  assert.equal(validationCount(100, 0.29), 29);
  assert.equal(validationCount(10, 0.29), 3); // 2.9 -> 3
  assert.equal(validationCount(3, 0.29), 1); // 0.87 -> 1
  assert.equal(validationCount(2, 0.29), 1); // 0.58 -> 1, and at least one left for training
  assert.equal(validationCount(2, 0.9), 1); // 1.8 -> 2, capped so that train keeps one
  assert.equal(validationCount(4, 0.1), 1); // 0.4 -> 0, raised to one
  assert.equal(validationCount(1, 0.29), 0); // a single image trains
  assert.equal(validationCount(0, 0.29), 0);
  assert.equal(validationCount(7, 0), 0);
  assert.equal(validationCount(7, 1), 7);
});

test('the split is deterministic for a seed and independent of input order', () => {
  const list = items({ 'bottle\0crack': 40, 'bottle\0scratch': 17, 'grid\0bent': 9 });
  const a = valKeys(list, assignSplits(list, { valRatio: 0.29, seed: 0 }));
  const reversed = [...list].reverse();
  const b = valKeys(reversed, assignSplits(reversed, { valRatio: 0.29, seed: 0 }));
  assert.deepEqual(a, b);
  const c = valKeys(list, assignSplits(list, { valRatio: 0.29, seed: 1 }));
  assert.notDeepEqual(a, c, 'another seed picks other validation images');
});

test('every stratum gets its own share of validation images', () => {
  const strata = { 'bottle\0crack': 40, 'bottle\0scratch': 17, 'grid\0bent': 9, 'pill\0color': 2, 'tile\0oil': 1 };
  const list = items(strata);
  const splits = assignSplits(list, { valRatio: 0.29, seed: 7 });
  const perStratum = new Map<string, { train: number; val: number }>();
  list.forEach((it, i) => {
    const c = perStratum.get(it.stratum) ?? { train: 0, val: 0 };
    c[splits[i]]++;
    perStratum.set(it.stratum, c);
  });
  assert.deepEqual(Object.fromEntries(perStratum), {
    'bottle\0crack': { train: 28, val: 12 }, // 11.6 -> 12
    'bottle\0scratch': { train: 12, val: 5 }, // 4.93 -> 5
    'grid\0bent': { train: 6, val: 3 }, // 2.61 -> 3
    'pill\0color': { train: 1, val: 1 },
    'tile\0oil': { train: 1, val: 0 },
  });
});

test('the overall ratio follows --val-ratio on a paper-sized class mix', () => {
  const list = items({ a: 1318 + 574, b: 3092 + 1337, c: 428 + 200, d: 3733 + 1581 });
  const splits = assignSplits(list, { valRatio: 0.29, seed: 0 });
  const val = splits.filter((s) => s === 'val').length;
  assert.ok(Math.abs(val / list.length - 0.29) < 0.001, `ratio ${val / list.length}`);
});

test('an image keeps its split when other images are added to its class', () => {
  const before = items({ s: 50 });
  const after = [...before, ...Array.from({ length: 5 }, (_, i) => ({ key: `s/new${i}.png`, stratum: 's' }))];
  const a = assignSplits(before, { valRatio: 0.3, seed: 3 });
  const b = assignSplits(after, { valRatio: 0.3, seed: 3 });
  const moved = before.filter((_, i) => a[i] !== b[i]).length;
  // 15 of 50 go to val before, 17 of 55 after.  The old images keep their relative order, so
  // the new val set is the j new images ranked into it plus the top 17-j old ones: |15-(17-j)| <= 3 move.
  assert.ok(moved <= 3, `${moved} images changed split`);
});

test('a ratio outside [0, 1] is refused', () => {
  assert.throws(() => assignSplits(items({ s: 3 }), { valRatio: 1.5, seed: 0 }), /ratio/);
});
