import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deriveSeed, Random } from '../../../server/sample/random';

test('a seed fixes the stream; fillUint32 continues exactly as nextUint32 would', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 300 }), (seed, n) => {
      const a = new Random(seed);
      const b = new Random(seed);
      const words = new Uint32Array(n);
      a.fillUint32(words);
      for (let i = 0; i < n; i++) assert.equal(words[i], b.nextUint32());
      assert.equal(a.nextUint32(), b.nextUint32());
    }),
  );
  assert.notEqual(new Random(1).nextUint32(), new Random(2).nextUint32());
});

test('int covers both bounds, uniform stays in range, weighted follows its weights', () => {
  const rng = new Random(5);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = rng.int(3, 7);
    assert.ok(v >= 3 && v <= 7 && Number.isInteger(v));
    seen.add(v);
    const u = rng.uniform(-2, 5);
    assert.ok(u >= -2 && u < 5);
  }
  assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
  const counts = [0, 0, 0];
  for (let i = 0; i < 30000; i++) counts[rng.weighted([1, 2, 7])]++;
  assert.ok(Math.abs(counts[0] / 30000 - 0.1) < 0.01 && Math.abs(counts[2] / 30000 - 0.7) < 0.015, String(counts));
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < 20000; i++) {
    const x = rng.normal();
    sum += x;
    sq += x * x;
  }
  assert.ok(Math.abs(sum / 20000) < 0.03 && Math.abs(sq / 20000 - 1) < 0.05);
});

test('derived seeds depend on every part and on the master seed', () => {
  const base = deriveSeed(1, 'image', 'synthetic', 'washer', 'scratch', 3);
  assert.equal(deriveSeed(1, 'image', 'synthetic', 'washer', 'scratch', 3), base);
  const variants = [
    deriveSeed(2, 'image', 'synthetic', 'washer', 'scratch', 3),
    deriveSeed(1, 'image', 'mvtec', 'washer', 'scratch', 3),
    deriveSeed(1, 'image', 'synthetic', 'tile', 'scratch', 3),
    deriveSeed(1, 'image', 'synthetic', 'washer', 'crack', 3),
    deriveSeed(1, 'image', 'synthetic', 'washer', 'scratch', 4),
    deriveSeed(1, 'image', 'synthetic', 'washers', 'cratch', 3),
  ];
  assert.equal(new Set([base, ...variants]).size, variants.length + 1);
  const many = new Set(Array.from({ length: 5000 }, (_, i) => deriveSeed(9, 'image', i)));
  assert.ok(many.size >= 4998);
});
