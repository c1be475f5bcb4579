// A small source in MVTec LOCO AD's layout, drawn here (not real data):
//   <object>/defects_config.json                      defect types with their mask values
//   <object>/train/good/*.png, <object>/validation/good/*.png, <object>/test/good/*.png
//   <object>/test/<kind>/<stem>.png                   <kind>: logical_anomalies, structural_anomalies
//   <object>/ground_truth/<kind>/<stem>/000.png, …    one mask image per annotated defect,
//                                                      holding its defect type's pixel value
// Images are 64x48 RGB (LOCO's are wider than tall), masks 8-bit grey.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export const LOCO_WIDTH = 64;
export const LOCO_HEIGHT = 48;

export const LOCO_DEFECTS = [
  { defect_name: 'missing_almonds', pixel_value: 255, saturation_threshold: 2000, relative_saturation: false },
  { defect_name: 'box_damaged', pixel_value: 254, saturation_threshold: 1.0, relative_saturation: true },
  { defect_name: 'too_many_oranges', pixel_value: 253, saturation_threshold: 900, relative_saturation: false },
];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One mask image: its defect type's value painted in its rectangles. */
export interface LocoMask {
  value: number;
  rects: Rect[];
}

/** The anomalous images of the fixture, by kind and stem, each with its mask images in order. */
export const LOCO_ANOMALIES: Record<string, Record<string, LocoMask[]>> = {
  logical_anomalies: {
    // Two defects annotated on one image: two mask images.
    '000': [
      { value: 255, rects: [{ x: 4, y: 4, w: 10, h: 8 }] },
      { value: 253, rects: [{ x: 40, y: 20, w: 12, h: 12 }] },
    ],
    '001': [{ value: 255, rects: [{ x: 20, y: 10, w: 8, h: 8 }] }],
  },
  structural_anomalies: {
    // One defect in two separate pieces: one mask image, two regions.
    '000': [{ value: 254, rects: [{ x: 2, y: 30, w: 6, h: 6 }, { x: 50, y: 2, w: 8, h: 6 }] }],
  },
};

async function writeImage(file: string, seed: number): Promise<void> {
  const data = Buffer.alloc(LOCO_WIDTH * LOCO_HEIGHT * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + seed * 97) % 256;
  mkdirSync(join(file, '..'), { recursive: true });
  await sharp(data, { raw: { width: LOCO_WIDTH, height: LOCO_HEIGHT, channels: 3 } }).png().toFile(file);
}

export async function writeLocoMask(file: string, mask: LocoMask): Promise<void> {
  const data = Buffer.alloc(LOCO_WIDTH * LOCO_HEIGHT);
  for (const r of mask.rects) for (let y = r.y; y < r.y + r.h; y++) data.fill(mask.value, y * LOCO_WIDTH + r.x, y * LOCO_WIDTH + r.x + r.w);
  mkdirSync(join(file, '..'), { recursive: true });
  await sharp(data, { raw: { width: LOCO_WIDTH, height: LOCO_HEIGHT, channels: 1 } }).png().toFile(file);
}

/** Writes the object folder `<root>/<object>` and returns it. */
export async function writeLocoObject(root: string, object = 'breakfast_box', defects: unknown = LOCO_DEFECTS): Promise<string> {
  const dir = join(root, object);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'defects_config.json'), `${JSON.stringify(defects, null, 4)}\n`);
  let seed = 0;
  for (const name of ['000', '001']) await writeImage(join(dir, 'train', 'good', `${name}.png`), seed++);
  await writeImage(join(dir, 'validation', 'good', '000.png'), seed++);
  await writeImage(join(dir, 'test', 'good', '000.png'), seed++);
  for (const [kind, images] of Object.entries(LOCO_ANOMALIES)) {
    for (const [stem, masks] of Object.entries(images)) {
      await writeImage(join(dir, 'test', kind, `${stem}.png`), seed++);
      for (const [k, mask] of masks.entries()) await writeLocoMask(join(dir, 'ground_truth', kind, stem, `${String(k).padStart(3, '0')}.png`), mask);
    }
  }
  return dir;
}
