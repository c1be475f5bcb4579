// Detection metrics: AUROC and AUPRO against an independent oracle (fixtures/detection_oracle.py:
// scikit-learn's roc_auc_score, and AUPRO evaluated one threshold at a time with scipy's
// labelling) on random, tie-heavy and real-mask inputs; AUPRO and region matching on cases whose
// values are worked out by hand in the comments.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DescribedRegion,
  type DetectionImage,
  type ScoredMask,
  aupro,
  auroc,
  detectionMetrics,
  iou,
  matchRegions,
  pixelAuroc,
  radixSort,
  float32Keys,
  regionCounts,
  sortedScoresWithIndex,
  regionRates,
} from '../../../server/eval/detection';
import { readMask } from '../../../server/image/mask';
import { REPO_ROOT } from './colourFixtures';

const SAMPLE = join(REPO_ROOT, '..', 'shared', 'data', 'mvtec-sample');
const REAL_MASKS = [
  'otx_hazelnut/ground_truth/colour/000_mask.png',
  'otx_hazelnut/ground_truth/colour/001_mask.png',
  'tire/ground_truth/combined/000_mask.png',
  'tire/ground_truth/hole/000_mask.png',
];

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- the oracle: every case written once, one Python process for all of them ----

type OracleCase = { kind: 'auroc'; scores: ArrayLike<number>; labels: ArrayLike<number> } | { kind: 'aupro'; images: readonly ScoredMask[]; limit: number };
const oracleCases: OracleCase[] = [];
let oracleAnswers: (number | null)[] = [];
const ask = (c: OracleCase): number => oracleCases.push(c) - 1;

function runOracle(): (number | null)[] {
  const dir = mkdtempSync(join(tmpdir(), 'al-detection-oracle-'));
  try {
    const spec = oracleCases.map((c, k) => {
      if (c.kind === 'auroc') {
        writeFileSync(join(dir, `${k}.scores`), new Float64Array(Array.from(c.scores)));
        writeFileSync(join(dir, `${k}.labels`), Uint8Array.from(Array.from(c.labels, (v) => (v ? 1 : 0))));
        return { kind: 'auroc', scores: `${k}.scores`, labels: `${k}.labels` };
      }
      const maps = new Float32Array(c.images.reduce((n, i) => n + i.map.length, 0));
      const masks = new Uint8Array(maps.length);
      let start = 0;
      for (const i of c.images) {
        maps.set(i.map, start);
        masks.set(Array.from(i.mask, (v) => (v ? 1 : 0)), start);
        start += i.map.length;
      }
      writeFileSync(join(dir, `${k}.maps`), maps);
      writeFileSync(join(dir, `${k}.masks`), masks);
      return { kind: 'aupro', maps: `${k}.maps`, masks: `${k}.masks`, shapes: c.images.map((i) => [i.height, i.width]), limit: c.limit };
    });
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(spec));
    const py = spawnSync('/usr/bin/python3', [join(__dirname, 'fixtures', 'detection_oracle.py'), dir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    assert.equal(py.status, 0, py.stderr);
    return JSON.parse(py.stdout) as (number | null)[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- inputs ----

function randomScores(rng: () => number, n: number, levels: number | null, separation: number): { scores: number[]; labels: number[] } {
  const labels = Array.from({ length: n }, () => (rng() < 0.3 ? 1 : 0));
  const scores = labels.map((l) => {
    const v = rng() + separation * l;
    return levels === null ? v : Math.floor(v * levels) / levels;
  });
  return { scores, labels };
}

/** A synthetic anomaly map for a mask: the mask box-blurred (radius r, twice), plus uniform noise, optionally quantised. */
function blurredMap(mask: ArrayLike<number>, width: number, height: number, rng: () => number, r: number, noise: number, levels: number | null): Float32Array {
  let a = Float32Array.from(mask, (v) => (v ? 1 : 0));
  for (let pass = 0; pass < 2; pass++) {
    const b = new Float32Array(a.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let dx = -r; dx <= r; dx++) s += a[y * width + Math.min(width - 1, Math.max(0, x + dx))];
        b[y * width + x] = s / (2 * r + 1);
      }
    }
    const c = new Float32Array(a.length);
    for (let x = 0; x < width; x++) {
      for (let y = 0; y < height; y++) {
        let s = 0;
        for (let dy = -r; dy <= r; dy++) s += b[Math.min(height - 1, Math.max(0, y + dy)) * width + x];
        c[y * width + x] = s / (2 * r + 1);
      }
    }
    a = c;
  }
  for (let i = 0; i < a.length; i++) {
    const v = a[i] + noise * rng();
    a[i] = levels === null ? v : Math.round(v * levels) / levels;
  }
  return a;
}

/** Random blobs on a small grid, with a blurred, noisy map. */
function randomImages(rng: () => number, count: number, size: number, levels: number | null): ScoredMask[] {
  return Array.from({ length: count }, () => {
    const mask = new Uint8Array(size * size);
    const blobs = Math.floor(rng() * 4);
    for (let k = 0; k < blobs; k++) {
      const cx = rng() * size;
      const cy = rng() * size;
      const rad = 1 + rng() * 4;
      for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= rad * rad) mask[y * size + x] = 1;
    }
    return { width: size, height: size, mask, map: blurredMap(mask, size, size, rng, 1, 0.8, levels) };
  });
}

interface Expect {
  got: number | null;
  oracle: number;
  what: string;
}
const expects: Expect[] = [];
function againstOracle(what: string, got: number | null, c: OracleCase): void {
  expects.push({ what, got, oracle: ask(c) });
}

// AUROC: random, tie-heavy, all tied, a single positive, exact separation.
for (let seed = 1; seed <= 6; seed++) {
  const rng = random(seed);
  for (const levels of [null, 4, 1]) {
    const { scores, labels } = randomScores(rng, 50 + seed * 37, levels, 0.4);
    againstOracle(`auroc seed ${seed}, levels ${levels}`, auroc(scores, labels), { kind: 'auroc', scores, labels });
  }
}
{
  const scores = [0.2, 0.2, 0.9, 0.1, 0.9, 0.5];
  const labels = [0, 1, 0, 0, 1, 0];
  againstOracle('auroc with one positive tied with a negative at each end', auroc(scores, labels), { kind: 'auroc', scores, labels });
  const zeros = [0, -0, 0, -0, 1];
  const zeroLabels = [1, 0, 0, 1, 1];
  againstOracle('auroc with -0 and +0 tied', auroc(zeros, zeroLabels), { kind: 'auroc', scores: zeros, labels: zeroLabels });
}

// Pixel AUROC and AUPRO on random blobs: continuous maps and maps quantised to 8 levels (most pixels tied).
const randomSets: { what: string; images: ScoredMask[] }[] = [];
for (let seed = 11; seed <= 14; seed++) {
  randomSets.push({ what: `random blobs seed ${seed}`, images: randomImages(random(seed), 6, 24, null) });
  randomSets.push({ what: `random blobs seed ${seed}, 8 levels`, images: randomImages(random(seed), 6, 24, 8) });
}
for (const { what, images } of randomSets) {
  const labels = images.flatMap((i) => Array.from(i.mask));
  const scores = images.flatMap((i) => Array.from(i.map));
  againstOracle(`pixel auroc, ${what}`, pixelAuroc(images), { kind: 'auroc', scores, labels });
  for (const limit of [0.3, 0.05, 1]) againstOracle(`aupro@${limit}, ${what}`, aupro(images, limit), { kind: 'aupro', images, limit });
}

// ---- tests ----

describe('detection metrics against the oracle', () => {
  let realImages: ScoredMask[] = [];
  before(async () => {
    const rng = random(7);
    for (const file of REAL_MASKS) {
      const { mask } = await readMask(join(SAMPLE, file));
      realImages.push({ width: mask.width, height: mask.height, mask: mask.values, map: blurredMap(mask.values, mask.width, mask.height, rng, 6, 0.6, 64) });
    }
    // A normal image: an empty mask and the noise alone.
    const { width, height } = realImages[0];
    realImages.push({ width, height, mask: new Uint8Array(width * height), map: blurredMap(new Uint8Array(width * height), width, height, rng, 6, 0.6, 64) });
    const scores = new Float32Array(realImages.reduce((n, i) => n + i.map.length, 0));
    const labels = new Uint8Array(scores.length);
    let start = 0;
    for (const i of realImages) {
      labels.set(Array.from(i.mask, (v) => (v ? 1 : 0)), start);
      scores.set(i.map, start);
      start += i.map.length;
    }
    againstOracle('pixel auroc, real masks', pixelAuroc(realImages), { kind: 'auroc', scores, labels });
    againstOracle('aupro, real masks', aupro(realImages), { kind: 'aupro', images: realImages, limit: 0.3 });
    oracleAnswers = runOracle();
  });

  it('reads the real masks of two objects and sizes', () => {
    assert.equal(realImages.length, REAL_MASKS.length + 1);
    assert.equal(new Set(realImages.map((i) => `${i.width}x${i.height}`)).size, 2);
  });

  it('AUROC, pixel AUROC and AUPRO agree with scikit-learn and the per-threshold AUPRO to 1e-6', () => {
    assert.equal(expects.length, 54);
    for (const e of expects) {
      const want = oracleAnswers[e.oracle];
      assert.notEqual(want, null, `${e.what}: the oracle found it undefined`);
      assert.ok(e.got !== null && Math.abs(e.got - (want as number)) <= 1e-6, `${e.what}: ${e.got} against ${want}`);
    }
    // The inputs are not trivial: the values spread between chance and perfect.
    const values = expects.map((e) => e.got as number);
    assert.ok(values.some((v) => v < 0.8) && values.some((v) => v > 0.95), values.join(' '));
  });
});

describe('AUROC edge cases', () => {
  it('is undefined (null) with one class, as scikit-learn refuses it', () => {
    assert.equal(auroc([0.1, 0.2], [1, 1]), null);
    assert.equal(auroc([0.1, 0.2], [0, 0]), null);
    assert.equal(auroc([], []), null);
  });
  it('counts a tie half: every score equal gives 0.5; separated classes give 1 and 0', () => {
    assert.equal(auroc([3, 3, 3, 3], [1, 0, 1, 0]), 0.5);
    assert.equal(auroc([1, 2, 3, 4], [0, 0, 1, 1]), 1);
    assert.equal(auroc([1, 2, 3, 4], [1, 1, 0, 0]), 0);
    // One positive at 2, negatives at 1, 2, 3: (1 + 0.5 + 0) / 3.
    assert.equal(auroc([1, 2, 2, 3], [0, 1, 0, 0]), 0.5);
  });
  it('refuses NaN and infinite scores and mismatched lengths, naming the problem', () => {
    assert.throws(() => auroc([0.1, Number.NaN], [0, 1]), /value 1 is NaN/);
    assert.throws(() => auroc([0.1, Number.POSITIVE_INFINITY], [0, 1]), /value 1 is Infinity/);
    assert.throws(() => auroc([0.1], [0, 1]), /1 scores for 2 labels/);
    assert.throws(() => pixelAuroc([{ width: 2, height: 2, map: new Float32Array(3), mask: new Uint8Array(4) }]), /anomaly map has 3 values for 2x2 pixels/);
  });
});

describe('sorting scores', () => {
  it('radix-sorts float32 keys in the order of the numbers, negatives, ±0 and ties included, carrying each index', () => {
    const rng = random(5);
    const values = Float32Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? (i % 2 ? -0 : 0) : Math.round((rng() - 0.5) * 200) / 8) * (i % 11 === 0 ? 1e-30 : 1));
    values[1] = -3e38;
    values[2] = 3e38;
    const { sorted, index } = sortedScoresWithIndex(values);
    const want = Array.from(values).sort((a, b) => a - b);
    assert.deepEqual(Array.from(index, (i) => values[i] + 0), want.map((v) => v + 0));
    for (let k = 1; k < sorted.length; k++) {
      assert.ok(sorted[k] >= sorted[k - 1]);
      assert.equal(sorted[k] === sorted[k - 1], want[k] === want[k - 1], `tie at ${k}`);
    }
    assert.equal(float32Keys(Float32Array.of(-0))[0], float32Keys(Float32Array.of(0))[0]);
    assert.deepEqual(Array.from(radixSort(Uint32Array.of(7, 0xffffffff, 0, 7, 1 << 22)).keys), [0, 7, 7, 1 << 22, 0xffffffff]);
  });

  it('gives float64 maps the same pixel AUROC and AUPRO as float32 maps of the same values', () => {
    const images = randomImages(random(21), 5, 20, 16);
    const wide = images.map((i) => ({ ...i, map: Float64Array.from(i.map) }));
    assert.equal(pixelAuroc(wide), pixelAuroc(images));
    assert.ok(Math.abs((aupro(wide) as number) - (aupro(images) as number)) < 1e-12);
    assert.ok((aupro(images) as number) > 0.2 && (aupro(images) as number) < 0.99);
  });
});

/** A width×height image whose map and mask are given by functions of (x, y). */
function image(width: number, height: number, mask: (x: number, y: number) => number, map: (x: number, y: number) => number): ScoredMask {
  const m = new Uint8Array(width * height);
  const s = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      m[y * width + x] = mask(x, y);
      s[y * width + x] = map(x, y);
    }
  }
  return { width, height, mask: m, map: s };
}

describe('AUPRO on cases known by hand', () => {
  const square = (x: number, y: number) => (x >= 2 && x < 5 && y >= 2 && y < 5 ? 1 : 0);

  it('a perfect map scores 1: all regions covered at FPR 0', () => {
    // Curve (0,0) → (0,1) → (1,1): area 0.3 up to 0.3, over 0.3.
    assert.equal(aupro([image(10, 10, square, square)]), 1);
    assert.equal(aupro([image(10, 10, square, (x, y) => 5 + 3 * square(x, y) + (x + y) / 100)]), 1);
  });

  it('a constant map follows the diagonal: 0.15 up to FPR 0.3, 0.5 up to FPR 1', () => {
    // One threshold: (0,0) → (1,1). Cut at FPR 0.3: PRO 0.3, area 0.3·0.3/2 = 0.045; 0.045 / 0.3 = 0.15.
    assert.ok(Math.abs((aupro([image(10, 10, square, () => 1)]) as number) - 0.15) < 1e-12);
    assert.ok(Math.abs((aupro([image(10, 10, square, () => 1)], 1) as number) - 0.5) < 1e-12);
  });

  it('a map constant inside the region, with 9 of the 91 normal pixels above it: 0.2 / 0.3 = 2/3', () => {
    // 10×10, the 3×3 region at 0.5, normal pixels on row 0 (x < 9) at 0.8, the rest 0.
    // Thresholds 0.8: FPR 9/91, PRO 0; 0.5: FPR 9/91, PRO 1; 0: FPR 1, PRO 1.
    // Area to 0.3: 0 up to 9/91, then 1 × (0.3 − 9/91). AUPRO = 1 − (9/91)/0.3 = 1 − 30/91 = 61/91.
    const map = (x: number, y: number) => (square(x, y) ? 0.5 : y === 0 && x < 9 ? 0.8 : 0);
    assert.ok(Math.abs((aupro([image(10, 10, square, map)]) as number) - 61 / 91) < 1e-12);
  });

  it('two regions of different sizes, the large found at FPR 0 and the small only past the limit: 0.5, not the pixel share 16/20', () => {
    // 20×20: region A 4×4 (16 px) at 1.0, region B 2×2 (4 px) at 0.2; 380 normal pixels: the first
    // 152 in row-major order at 0.5 (FPR 0.4), the rest 0.
    // Curve: 1.0 → (0, 0.5); 0.5 → (0.4, 0.5); 0.2 → (0.4, 1); 0 → (1, 1).
    // Area to 0.3 under PRO 0.5 = 0.15; AUPRO = 0.15 / 0.3 = 0.5: the regions count equally,
    // so finding 16 of the 20 anomalous pixels is half the regions.
    const a = (x: number, y: number) => x >= 10 && x < 14 && y >= 10 && y < 14;
    const b = (x: number, y: number) => x >= 16 && x < 18 && y >= 2 && y < 4;
    const mask = (x: number, y: number) => (a(x, y) || b(x, y) ? 1 : 0);
    let normalSeen = 0;
    const map = (x: number, y: number) => (a(x, y) ? 1 : b(x, y) ? 0.2 : normalSeen++ < 152 ? 0.5 : 0);
    const img = image(20, 20, mask, map);
    assert.ok(Math.abs((aupro([img]) as number) - 0.5) < 1e-12);
    // With the small region above the normal pixels, both are found at FPR 0: 1.
    const found = image(20, 20, mask, (x, y) => (a(x, y) ? 1 : b(x, y) ? 0.7 : normalSeen++ % 400 < 152 ? 0.5 : 0));
    assert.equal(aupro([found]), 1);
  });

  it('counts the regions of all images equally, and the normal pixels of normal images too', () => {
    // Image one (10×10): its 3×3 region at 1, normal pixels 0. Image two (10×10): its region at 0.5,
    // normal pixels 0. A normal image (10×5): all 50 pixels at 0.75. Normal pixels: 91 + 91 + 50 = 232.
    // Curve: 1 → (0, 1/2); 0.75 → (50/232, 1/2); 0.5 → (50/232, 1); 0 → (1, 1).
    // Area to 0.3: ½·50/232 + (0.3 − 50/232); AUPRO = 1 − (25/232)/0.3 = 1 − 250/696 = 223/348.
    const one = image(10, 10, square, (x, y) => square(x, y));
    const two = image(10, 10, square, (x, y) => 0.5 * square(x, y));
    const normal = image(10, 5, () => 0, () => 0.75);
    assert.ok(Math.abs((aupro([one, two, normal]) as number) - 223 / 348) < 1e-12);
  });

  it('is undefined (null) without a ground-truth region or without a normal pixel', () => {
    assert.equal(aupro([image(4, 4, () => 0, (x) => x)]), null);
    assert.equal(aupro([image(4, 4, () => 1, (x) => x)]), null);
    assert.throws(() => aupro([image(4, 4, () => 1, (x) => x)], 0), /FPR limit must be in \(0, 1\]/);
  });

  it('handles 32 maps of 256×256 (2.1 M pixels) and gives the expected values of a known score distribution', () => {
    // Normal pixels score u, region pixels 0.5 + u, u uniform on [0, 1). At threshold t the FPR is
    // 1 − t and a region's overlap is min(1, 1.5 − t), so PRO(x) = min(1, 0.5 + x): the area up to
    // 0.3 is 0.15 + 0.045 = 0.195, AUPRO 0.65; pixel AUROC = P(0.5 + u₁ > u₂) = 1 − 1/8 = 0.875.
    // 32 regions of 317 pixels sample that to about 0.01, the 2 M pixels' AUROC to about 0.001.
    const size = 256;
    const rng = random(3);
    const images: ScoredMask[] = [];
    for (let k = 0; k < 32; k++) {
      const cx = 20 + Math.floor(rng() * 200);
      const inside = (x: number, y: number) => ((x - cx) ** 2 + (y - 128) ** 2 < 100 ? 1 : 0);
      images.push(image(size, size, inside, (x, y) => 0.5 * inside(x, y) + rng()));
    }
    const v = aupro(images) as number;
    const p = pixelAuroc(images) as number;
    assert.ok(Math.abs(v - 0.65) < 0.02, String(v));
    assert.ok(Math.abs(p - 0.875) < 0.003, String(p));
  });
});

// ---- region matching ----

/** A region from the pixels of a w-wide grid that `inside(x, y)` selects, row-major. */
function region(w: number, h: number, inside: (x: number, y: number) => boolean, description = 'crack'): DescribedRegion {
  const pixels: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inside(x, y)) pixels.push(y * w + x);
  return { pixels: Uint32Array.from(pixels), description };
}
const box = (x0: number, y0: number, x1: number, y1: number, description?: string) => region(16, 16, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1, description);

describe('region matching (one-to-one, greedy by IoU ≥ 0.5)', () => {
  it('matches a region to its copy with IoU 1', () => {
    assert.deepEqual(matchRegions([box(0, 0, 4, 4)], [box(0, 0, 4, 4)]), [{ truth: 0, proposed: 0, iou: 1 }]);
  });

  it('a region split into two exact halves: each half has IoU exactly 0.5, so one is found and the other is a false positive', () => {
    const truth = [box(0, 0, 4, 2)];
    const halves = [box(0, 0, 2, 2), box(2, 0, 4, 2)];
    assert.equal(iou(truth[0].pixels, halves[0].pixels), 0.5);
    assert.deepEqual(matchRegions(truth, halves), [{ truth: 0, proposed: 0, iou: 0.5 }]);
    assert.deepEqual(regionRates(regionCounts(truth, halves)), { recall: 1, precision: 0.5, descriptionAccuracy: 1, endToEnd: 1 });
    // Split 5 : 3 columns of one row: IoU 5/8 and 3/8, only the larger matches.
    const row = [box(0, 0, 8, 1)];
    assert.deepEqual(matchRegions(row, [box(0, 0, 3, 1), box(3, 0, 8, 1)]), [{ truth: 0, proposed: 1, iou: 5 / 8 }]);
  });

  it('two regions merged into one proposal: found once (IoU 0.5 each; the lower truth index wins the tie), or never when the merge is larger', () => {
    const truth = [box(0, 0, 2, 2), box(2, 0, 4, 2)];
    const merged = [box(0, 0, 4, 2)];
    assert.deepEqual(matchRegions(truth, merged), [{ truth: 0, proposed: 0, iou: 0.5 }]);
    assert.deepEqual(regionRates(regionCounts(truth, merged)), { recall: 0.5, precision: 1, descriptionAccuracy: 1, endToEnd: 0.5 });
    // Three 2×2 squares merged with their gaps (a 2×8 bar): IoU 4/16 each: none found.
    const three = [box(0, 0, 2, 2), box(3, 0, 5, 2), box(6, 0, 8, 2)];
    assert.deepEqual(matchRegions(three, [box(0, 0, 8, 2)]), []);
  });

  it('IoU exactly 0.5 matches and just below does not (tested in integers)', () => {
    // Truth: 10 pixels of a row. Proposal: 5 of them plus 5 outside → 5/15; 5 of them alone → 5/10 = 0.5.
    const truth = [box(0, 0, 10, 1)];
    assert.deepEqual(matchRegions(truth, [box(0, 0, 5, 1)]), [{ truth: 0, proposed: 0, iou: 0.5 }]);
    // 50 of 100 truth pixels, one extra pixel: 50/101 < 0.5.
    const big = [box(0, 0, 10, 10)];
    const justBelow = region(16, 16, (x, y) => (y < 5 && x < 10) || (x === 12 && y === 12));
    assert.ok(iou(big[0].pixels, justBelow.pixels) < 0.5);
    assert.deepEqual(matchRegions(big, [justBelow]), []);
    assert.deepEqual(matchRegions(big, [region(16, 16, (x, y) => y < 5 && x < 10)]), [{ truth: 0, proposed: 0, iou: 0.5 }]);
  });

  it('takes the highest IoU first, so a proposal is not spent on a weaker match', () => {
    // Truth 0: 4×4 at the origin; truth 1: the 4×4 beside it. Proposal 0 (4×6) covers truth 1 and
    // two columns of truth 0: IoU 16/24 with truth 1, 8/32 with truth 0. Proposal 1 is truth 1 (IoU 1).
    const truth = [box(0, 0, 4, 4), box(4, 0, 8, 4)];
    const proposed = [box(2, 0, 8, 4), box(4, 0, 8, 4)];
    // Candidates: (t1, p1, 1), (t1, p0, 16/24); t0 with p0: 8/32 < 0.5. Greedy takes (t1, p1); p0 is a false positive.
    assert.deepEqual(matchRegions(truth, proposed), [{ truth: 1, proposed: 1, iou: 1 }]);
  });

  it('empty proposals: recall 0, precision undefined; empty ground truth: recall undefined, precision 0', () => {
    assert.deepEqual(regionRates(regionCounts([box(0, 0, 2, 2)], [])), { recall: 0, precision: null, descriptionAccuracy: null, endToEnd: 0 });
    assert.deepEqual(regionRates(regionCounts([], [box(0, 0, 2, 2)])), { recall: null, precision: 0, descriptionAccuracy: null, endToEnd: null });
    assert.deepEqual(regionRates(regionCounts([], [])), { recall: null, precision: null, descriptionAccuracy: null, endToEnd: null });
  });

  it('refuses pixel lists that are not strictly ascending', () => {
    assert.throws(() => matchRegions([{ pixels: [3, 2] }], []), /ground-truth region 0: pixel indices must be strictly ascending/);
  });
});

describe('detection metrics per object and in total', () => {
  // Object "nut" (8×8): image n1 anomalous (score 0.9), two truth regions: a (crack) found and
  // described right, b (hole) found and described wrong; n2 normal (score 0.2) with one false proposal.
  // Object "tire" (8×8): t1 anomalous (score 0.1) with one truth region (cut) not found; t2 normal (0.3).
  const w = 8;
  const reg = (x0: number, y0: number, x1: number, y1: number, description: string) => region(w, w, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1, description);
  function img(object: string, score: number, truth: DescribedRegion[], proposed: DescribedRegion[]): DetectionImage {
    const mask = new Uint8Array(w * w);
    for (const r of truth) for (const p of Array.from(r.pixels)) mask[p] = 1;
    const map = Float32Array.from(mask, (v, i) => v + (i % 3) / 10);
    return { object, score, width: w, height: w, mask, map, truth, proposed };
  }
  const images = [
    img('tire', 0.1, [reg(0, 0, 2, 2, 'cut')], []),
    img('nut', 0.9, [reg(0, 0, 2, 2, 'crack'), reg(4, 4, 6, 6, 'hole')], [reg(0, 0, 2, 2, 'crack'), reg(4, 4, 6, 6, 'scratch')]),
    img('nut', 0.2, [], [reg(6, 6, 8, 8, 'stain')]),
    img('tire', 0.3, [], []),
  ];
  const m = detectionMetrics(images);

  it('gives each object its row in name order, with its image AUROC, region counts and rates', () => {
    assert.deepEqual(
      m.byObject.map((r) => [r.object, r.images, r.anomalousImages, r.imageAuroc, r.truth, r.proposed, r.found, r.described, r.recall, r.precision, r.descriptionAccuracy, r.endToEnd]),
      [
        // nut: 2 truth, 3 proposed, 2 found, 1 described right.
        ['nut', 2, 1, 1, 2, 3, 2, 1, 1, 2 / 3, 0.5, 0.5],
        // tire: the anomalous image scores below the normal one.
        ['tire', 2, 1, 0, 1, 0, 0, 0, 0, null, null, 0],
      ],
    );
    // Maps: anomalous pixels at 1 + (i mod 3)/10, normal at (i mod 3)/10: perfect separation.
    for (const r of m.byObject) {
      assert.equal(r.pixelAuroc, 1);
      assert.equal(r.aupro, 1);
    }
  });

  it('pools every image in the total row and averages the objects in the mean', () => {
    const t = m.total;
    // Image AUROC over 4 images: positives 0.9, 0.1; negatives 0.2, 0.3: (2 + 0) / 4 = 0.5.
    assert.deepEqual([t.object, t.images, t.anomalousImages, t.imageAuroc, t.truth, t.proposed, t.found, t.described], ['Total', 4, 2, 0.5, 3, 3, 2, 1]);
    assert.deepEqual([t.recall, t.precision, t.descriptionAccuracy, t.endToEnd], [2 / 3, 2 / 3, 0.5, 1 / 3]);
    assert.deepEqual(m.mean, { imageAuroc: 0.5, pixelAuroc: 1, aupro: 1, recall: 0.5, precision: 2 / 3, descriptionAccuracy: 0.5, endToEnd: 0.25 });
    assert.equal(m.fprLimit, 0.3);
  });

  it('refuses a region with a pixel outside its image, naming the image and region', () => {
    const bad = { ...images[0], proposed: [{ pixels: [63, 64], description: 'x' }] };
    assert.throws(() => detectionMetrics([bad]), /image 0 \(tire\): proposed region 0 has a pixel outside its 8x8 image/);
  });
});
