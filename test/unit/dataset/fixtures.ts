// Small real datasets and sources for the dataset tests (written with sharp).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { DatasetManifest, ImageRecord } from '../../../server/dataset/format';
import { DATASET_FORMAT_VERSION } from '../../../server/dataset/formatVersion';
import { writeDataset, type SplitRecords } from '../../../server/dataset/manifest';

/** Runs `fn` with a fresh temp folder that is removed afterwards. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `al-${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An RGB image (PNG or JPEG by extension) of a flat colour with a little gradient. */
export async function writeImage(file: string, width: number, height: number): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const px = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) px.set([(i * 7) % 256, 120, 200], i * 3);
  const img = sharp(px, { raw: { width, height, channels: 3 } });
  await (file.endsWith('.jpg') ? img.jpeg() : img.png()).toFile(file);
}

/** An 8-bit greyscale PNG with `value` (or the point's own third value) at the given (x, y) points. */
export async function writeGreyPng(file: string, width: number, height: number, points: ([number, number] | [number, number, number])[], value = 255): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const px = Buffer.alloc(width * height);
  for (const [x, y, v] of points) px[y * width + x] = v ?? value;
  await sharp(px, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toFile(file);
}

export const W = 6;
export const H = 4;

/** A valid two-image dataset: one train image with one region, one test image with two. */
export async function writeSmallDataset(dir: string): Promise<{ manifest: DatasetManifest; records: SplitRecords }> {
  const train: ImageRecord = {
    image: 'images/train/bottle/crack/001.png',
    object: 'bottle',
    defect: 'crack',
    width: W,
    height: H,
    regions: [{ mask: 'masks/train/bottle/crack/001_0.png', bbox: [0, 0, 1, 2], area: 2, defect: 'crack', description: 'a crack in the bottle' }],
  };
  const test: ImageRecord = {
    image: 'images/test/bottle/crack/000.png',
    object: 'bottle',
    defect: 'crack',
    width: W,
    height: H,
    regions: [
      { mask: 'masks/test/bottle/crack/000_0.png', bbox: [1, 1, 2, 1], area: 2, defect: 'crack', description: 'a crack in the bottle' },
      { mask: 'masks/test/bottle/crack/000_1.png', bbox: [4, 3, 1, 1], area: 1, defect: 'crack', description: 'a crack in the bottle' },
    ],
  };
  await writeImage(join(dir, train.image), W, H);
  await writeImage(join(dir, test.image), W, H);
  await writeGreyPng(join(dir, train.regions[0].mask), W, H, [[0, 0], [0, 1]]);
  await writeGreyPng(join(dir, test.regions[0].mask), W, H, [[1, 1], [2, 1]]);
  await writeGreyPng(join(dir, test.regions[1].mask), W, H, [[4, 3]]);
  const manifest: DatasetManifest = {
    formatVersion: DATASET_FORMAT_VERSION,
    createdAt: '2025-01-01T00:00:00.000Z',
    tool: { name: 'anomaly-lens', version: '0.1.0' },
    sources: [{ kind: 'mvtec', root: '/data/mvtec', splits: ['test'] }],
    parameters: { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, threshold: 0, splitSeed: 0, valRatio: 0.29, describe: 'builtin' },
    objects: ['bottle'],
    defects: [{ object: 'bottle', defect: 'crack' }],
    descriptions: [{ object: 'bottle', defect: 'crack', text: 'a crack in the bottle', provenance: { kind: 'builtin' } }],
    counts: { train: { images: 1, regions: 1 }, val: { images: 0, regions: 0 }, test: { images: 1, regions: 2 } },
  };
  const records: SplitRecords = { train: [train], val: [], test: [test] };
  await writeDataset(dir, manifest, records);
  return { manifest, records };
}
