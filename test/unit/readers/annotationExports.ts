// Small exports of the labelling tools, written by hand after their documented formats: CVAT's
// "COCO 1.0" (annotations/instances_default.json with images/default/, polygons and masks as
// uncompressed counts with iscrowd 1), Label Studio's "COCO with images" (result.json with
// images/, ids from 0, file names written "images\<name>", rectangles as a bbox with an empty
// segmentation), a pycocotools-style annotations.json with compressed string counts, and
// LabelMe files (an image with a same-stem .json: polygon, rectangle, circle, a group of two
// polygons, a line, imageData embedded).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { encodeCounts, rleFromPixels } from '../../../server/masks/rle';

export const WIDTH = 64;
export const HEIGHT = 48;

/** A small textured image: a PNG or a JPEG by the name's extension. */
export async function writeImage(file: string, seed = 1): Promise<Buffer> {
  mkdirSync(dirname(file), { recursive: true });
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + seed * 31 + ((i / 3) % WIDTH) * 3) % 256;
  const image = sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } });
  const bytes = await (file.endsWith('.jpg') ? image.jpeg() : image.png()).toBuffer();
  writeFileSync(file, bytes);
  return bytes;
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 1));
}

/** A block of pixels (row-major indices) for a run-length mask. */
export function block(x: number, y: number, w: number, h: number): Uint32Array {
  const out: number[] = [];
  for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) out.push(r * WIDTH + c);
  return Uint32Array.from(out);
}

const COCO_INFO = { contributor: '', date_created: '', description: '', url: '', version: '', year: '' };

/** CVAT "COCO 1.0": a polygon and a mask on board_01, nothing on board_02 (a normal image). */
export async function writeCvatExport(root: string): Promise<void> {
  await writeImage(join(root, 'images', 'default', 'board_01.png'), 1);
  await writeImage(join(root, 'images', 'default', 'board_02.png'), 2);
  const mask = block(30, 20, 12, 9);
  writeJson(join(root, 'annotations', 'instances_default.json'), {
    licenses: [{ name: '', id: 0, url: '' }],
    info: COCO_INFO,
    categories: [
      { id: 1, name: 'scratch', supercategory: '' },
      { id: 2, name: 'stain', supercategory: '' },
    ],
    images: [
      { id: 1, width: WIDTH, height: HEIGHT, file_name: 'board_01.png', license: 0, flickr_url: '', coco_url: '', date_captured: 0 },
      { id: 2, width: WIDTH, height: HEIGHT, file_name: 'board_02.png', license: 0, flickr_url: '', coco_url: '', date_captured: 0 },
    ],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, segmentation: [[4, 4, 20, 4, 20, 14, 4, 14]], area: 160, bbox: [4, 4, 16, 10], iscrowd: 0, attributes: { occluded: false } },
      { id: 2, image_id: 1, category_id: 2, segmentation: { counts: rleFromPixels(mask, WIDTH, HEIGHT), size: [HEIGHT, WIDTH] }, area: mask.length, bbox: [30, 20, 12, 9], iscrowd: 1, attributes: { occluded: false } },
    ],
  });
}

/** Label Studio "COCO with images": a polygon and a rectangle on one image, ids from 0. */
export async function writeLabelStudioExport(root: string): Promise<void> {
  await writeImage(join(root, 'images', '5f2c9a1e-pill_07.jpg'), 3);
  writeJson(join(root, 'result.json'), {
    images: [{ width: WIDTH, height: HEIGHT, id: 0, file_name: 'images\\5f2c9a1e-pill_07.jpg' }],
    categories: [
      { id: 0, name: 'crack' },
      { id: 1, name: 'contamination' },
    ],
    annotations: [
      { id: 0, image_id: 0, category_id: 0, segmentation: [[10.5, 5.25, 30.75, 9.5, 22.0, 30.0]], bbox: [10.5, 5.25, 20.25, 24.75], ignore: 0, iscrowd: 0, area: 231.2 },
      { id: 1, image_id: 0, category_id: 1, segmentation: [], bbox: [40, 30, 8, 6], ignore: 0, iscrowd: 0, area: 48 },
    ],
    info: { year: 2025, version: '1.0', description: '', contributor: 'Label Studio', url: '', date_created: '2025-01-01 00:00:00.000000' },
  });
}

/** annotations.json beside the images, as pycocotools writes results: compressed string counts, supercategory as the object. */
export async function writePycocotoolsExport(root: string): Promise<void> {
  await writeImage(join(root, 'img_a.png'), 4);
  const a = block(5, 5, 10, 10);
  const b = block(40, 10, 6, 20);
  writeJson(join(root, 'annotations.json'), {
    images: [{ id: 7, file_name: 'img_a.png', width: WIDTH, height: HEIGHT }],
    categories: [{ id: 3, name: 'hole', supercategory: 'carpet' }],
    annotations: [
      { id: 11, image_id: 7, category_id: 3, iscrowd: 1, segmentation: { size: [HEIGHT, WIDTH], counts: encodeCounts(rleFromPixels(a, WIDTH, HEIGHT)) } },
      { id: 12, image_id: 7, category_id: 3, iscrowd: 0, segmentation: { size: [HEIGHT, WIDTH], counts: encodeCounts(rleFromPixels(b, WIDTH, HEIGHT)) } },
    ],
  });
}

function labelmeShape(label: string, shape_type: string, points: number[][], group_id: number | null = null) {
  return { label, points, group_id, description: '', shape_type, flags: {}, mask: null };
}

/** LabelMe files in capsule/: 001 with five shapes (one a line), 002 with none (normal), 003 without a file. */
export async function writeLabelmeFolder(root: string): Promise<void> {
  const bytes = await writeImage(join(root, 'capsule', '001.png'), 5);
  await writeImage(join(root, 'capsule', '002.png'), 6);
  await writeImage(join(root, 'capsule', '003.png'), 7);
  const base = { version: '5.4.1', flags: {}, imageHeight: HEIGHT, imageWidth: WIDTH };
  writeJson(join(root, 'capsule', '001.json'), {
    ...base,
    shapes: [
      labelmeShape('crack', 'polygon', [[3, 3], [15, 3], [15, 12], [3, 12]]),
      labelmeShape('squeeze', 'rectangle', [[30, 18], [20, 10]]),
      labelmeShape('faulty_imprint', 'circle', [[45, 30], [49, 30]]),
      labelmeShape('crack', 'polygon', [[50, 2], [60, 2], [60, 8]], 1),
      labelmeShape('crack', 'polygon', [[50, 40], [60, 40], [60, 46], [50, 46]], 1),
      labelmeShape('poke', 'line', [[2, 40], [20, 44]]),
    ],
    imagePath: '001.png',
    imageData: bytes.toString('base64'),
  });
  writeJson(join(root, 'capsule', '002.json'), { ...base, shapes: [], imagePath: '002.png', imageData: null });
}
