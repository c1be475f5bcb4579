// An MVTec-layout source whose masks hold a few discs each, so that every image takes a moment
// to build and a larger eps merges its regions (the kill and rebuild tests).
import { join } from 'node:path';
import { writeGreyPng, writeImage } from './fixtures';

export const BLOB_SIZE = 160;

function blobs(seed: number): [number, number][] {
  const points: [number, number][] = [];
  for (let b = 0; b < 3; b++) {
    const cx = 20 + ((seed * 37 + b * 53) % 110);
    const cy = 20 + ((seed * 59 + b * 31) % 110);
    for (let y = -9; y <= 9; y++) for (let x = -9; x <= 9; x++) if (x * x + y * y <= 81) points.push([cx + x, cy + y]);
  }
  return points;
}

/** `count` images of `part/test/<defect>/NNN.png` with their masks, and one good training image. */
export async function writeBlobSource(root: string, defect: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const stem = String(i).padStart(3, '0');
    await writeImage(join(root, 'part', 'test', defect, `${stem}.png`), BLOB_SIZE, BLOB_SIZE);
    await writeGreyPng(join(root, 'part', 'ground_truth', defect, `${stem}_mask.png`), BLOB_SIZE, BLOB_SIZE, blobs(i + defect.length * 101));
  }
  await writeImage(join(root, 'part', 'train', 'good', '000.png'), BLOB_SIZE, BLOB_SIZE);
}
