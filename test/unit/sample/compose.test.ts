// Drawing single images: every object takes up to seven separate regions of every one of its
// defect types, the mask matches what was drawn, and each defect type is visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_OBJECTS, classValue } from '../../../server/sample/catalog';
import { drawImage, type DrawnImage } from '../../../server/sample/compose';
import type { DefectType } from '../../../server/sample/defects';
import { chebyshevGap, components8 } from './helpers';

function checkMask(drawn: DrawnImage, defects: readonly DefectType[], label: string): void {
  assert.ok(drawn.mask, `${label}: no mask`);
  const ccs = components8(drawn.mask, drawn.size, drawn.size);
  assert.equal(ccs.length, defects.length, `${label}: components`);
  const minArea = 30 * (drawn.size / 128) ** 2;
  for (const cc of ccs) {
    assert.equal(cc.values.size, 1, `${label}: one class value per region`);
    assert.ok(cc.pixels.length >= minArea, `${label}: region of ${cc.pixels.length} px`);
  }
  for (let i = 0; i < ccs.length; i++) {
    for (let j = i + 1; j < ccs.length; j++) assert.ok(chebyshevGap(ccs[i].pixels, ccs[j].pixels, drawn.size) >= 4, `${label}: regions ${i}, ${j} too close`);
  }
  assert.deepEqual(
    drawn.regions.map((r) => r.defect),
    [...defects],
  );
  assert.deepEqual(drawn.regions.map((r) => r.area).sort(), ccs.map((c) => c.pixels.length).sort());
}

test('every object takes seven separate regions of each of its defect types', () => {
  for (const object of SAMPLE_OBJECTS) {
    for (const defect of object.defects) {
      for (const seed of [1, 2]) {
        const defects = Array.from({ length: 7 }, () => defect);
        const drawn = drawImage(object, defects, 128, seed * 1000 + object.defects.indexOf(defect));
        checkMask(drawn, defects, `${object.name}/${defect}/${seed}`);
        const values = new Set(drawn.mask);
        assert.deepEqual([...values].sort(), [0, classValue(object, defect)]);
      }
    }
  }
});

test('regions of different types in one image keep their own class values', () => {
  for (const object of SAMPLE_OBJECTS) {
    for (const count of [2, 4, 7]) {
      const defects = Array.from({ length: count }, (_, i) => object.defects[i % object.defects.length]);
      const drawn = drawImage(object, defects, 128, 77 + count);
      checkMask(drawn, defects, `${object.name}/${count}`);
      const values = [...new Set(drawn.mask)].filter((v) => v !== 0).sort();
      assert.deepEqual(values, [...new Set(defects.map((d) => classValue(object, d)))].sort());
    }
  }
});

test('other image sizes scale the geometry', () => {
  for (const size of [64, 256]) {
    for (const object of SAMPLE_OBJECTS) {
      const defects = object.defects.slice(0, 3);
      checkMask(drawImage(object, defects, size, 5), defects, `${object.name}@${size}`);
    }
  }
});

test('a seed fixes the image; another seed changes it; good images have no mask', () => {
  const [washer] = SAMPLE_OBJECTS;
  const a = drawImage(washer, ['scratch', 'crack'], 128, 42);
  const b = drawImage(washer, ['scratch', 'crack'], 128, 42);
  const c = drawImage(washer, ['scratch', 'crack'], 128, 43);
  assert.deepEqual(a.rgb, b.rgb);
  assert.deepEqual(a.mask, b.mask);
  assert.notDeepEqual(a.rgb, c.rgb);
  assert.notDeepEqual(a.mask, c.mask);
  const good = drawImage(washer, [], 128, 42);
  assert.equal(good.mask, undefined);
  assert.deepEqual(good.regions, []);
  assert.equal(good.rgb.length, 128 * 128 * 3);
});

/** Mean luminance and saturation of the region's pixels and of its 3-pixel surroundings. */
interface Contrast {
  inside: number;
  /** 90th percentile of the region's luminance. */
  brightest: number;
  around: number;
  satInside: number;
  satAround: number;
  /** 90th percentile of the region pixels' RGB distance from the mean colour around it. */
  colourShift: number;
}

function contrast(drawn: DrawnImage, pixels: readonly number[]): Contrast {
  const n = drawn.size;
  const inRegion = new Set(pixels);
  const ring = new Set<number>();
  for (const p of pixels) {
    const x = p % n;
    const y = Math.floor(p / n);
    for (let dy = -3; dy <= 3; dy++) {
      for (let dx = -3; dx <= 3; dx++) {
        const q = (y + dy) * n + x + dx;
        if (x + dx >= 0 && x + dx < n && y + dy >= 0 && y + dy < n && !inRegion.has(q) && drawn.mask?.[q] === 0) ring.add(q);
      }
    }
  }
  const luminance = (p: number) => 0.299 * drawn.rgb[p * 3] + 0.587 * drawn.rgb[p * 3 + 1] + 0.114 * drawn.rgb[p * 3 + 2];
  const sorted = pixels.map(luminance).sort((a, b) => a - b);
  const brightest = sorted[Math.floor(sorted.length * 0.9)];
  const stats = (set: Iterable<number>) => {
    let lum = 0;
    let sat = 0;
    let count = 0;
    for (const p of set) {
      const [r, g, b] = [drawn.rgb[p * 3], drawn.rgb[p * 3 + 1], drawn.rgb[p * 3 + 2]];
      lum += luminance(p);
      sat += Math.max(r, g, b) - Math.min(r, g, b);
      count++;
    }
    return [lum / count, sat / count];
  };
  const [inside, satInside] = stats(pixels);
  const [around, satAround] = stats(ring);
  const mean = [0, 1, 2].map((c) => [...ring].reduce((s, p) => s + drawn.rgb[p * 3 + c], 0) / ring.size);
  const shifts = pixels
    .map((p) => Math.hypot(drawn.rgb[p * 3] - mean[0], drawn.rgb[p * 3 + 1] - mean[1], drawn.rgb[p * 3 + 2] - mean[2]))
    .sort((a, b) => a - b);
  const colourShift = shifts[Math.floor(shifts.length * 0.9)];
  return { inside, brightest, around, satInside, satAround, colourShift };
}

test('each defect type shows in its region: scratches bright, holes and cracks dark, contamination off-colour, stains and cuts different', () => {
  for (const object of SAMPLE_OBJECTS) {
    for (const defect of object.defects) {
      for (const seed of [11, 12, 13, 14, 15, 16]) {
        const drawn = drawImage(object, [defect], 128, seed);
        const [cc] = components8(drawn.mask as Uint8Array, 128, 128);
        const c = contrast(drawn, cc.pixels);
        const label = `${object.name}/${defect}/${seed}: inside ${c.inside.toFixed(0)} around ${c.around.toFixed(0)}, saturation ${c.satInside.toFixed(0)} vs ${c.satAround.toFixed(0)}`;
        if (defect === 'scratch') assert.ok(c.brightest > c.around + 25, `${label}, 90th percentile ${c.brightest.toFixed(0)}`);
        else if (defect === 'hole') assert.ok(c.inside < c.around - 30, label);
        else if (defect === 'crack') assert.ok(c.inside < c.around - 15, label);
        else if (defect === 'contamination') assert.ok(c.colourShift > 80, `${label}, colour shift ${c.colourShift.toFixed(0)}`);
        else assert.ok(Math.abs(c.inside - c.around) > 8 || Math.abs(c.satInside - c.satAround) > 15, label);
      }
    }
  }
});
