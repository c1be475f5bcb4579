// The mask editor session's workspace: a small generated sample (MVTec layout) and the dataset built
// from it, with one region mislabelled for the review queue; and the files on disk the checks read
// and write (the edited mask, the dataset's records).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ROOT } from '../harness';

/** The test image the checks edit and its ground-truth mask, relative to the workspace (chosen in prepare), and the workspace (set by the first check). */
export const where = { image: '', mask: '', workspace: '' };

export function prepareMaskEditorWorkspace(workspace: string): void {
  const cli = join(ROOT, 'dist', 'cli.js');
  execFileSync(process.execPath, [cli, 'sample', join(workspace, 'sample'), '--scale', '0.05'], { stdio: 'ignore' });
  execFileSync(process.execPath, [cli, 'build', join(workspace, 'sample', 'mvtec'), '--out', join(workspace, 'dataset')], { stdio: 'ignore' });
  mislabelOneRegion(join(workspace, 'dataset'));
  // The first test image of a single defect with its mask (not a class-id "combined" one).
  const mvtec = join(workspace, 'sample', 'mvtec');
  for (const object of readdirSync(mvtec).sort()) {
    const test = join(mvtec, object, 'test');
    if (!existsSync(test)) continue;
    for (const defect of readdirSync(test).sort()) {
      if (defect === 'good' || defect === 'combined') continue;
      const first = readdirSync(join(test, defect)).sort()[0];
      const stem = first?.replace(/\.png$/, '');
      if (stem && existsSync(join(mvtec, object, 'ground_truth', defect, `${stem}_mask.png`))) {
        where.image = join('sample', 'mvtec', object, 'test', defect, first);
        where.mask = join('sample', 'mvtec', object, 'ground_truth', defect, `${stem}_mask.png`);
        return;
      }
    }
  }
  throw new Error('the sample has no MVTec test image with a mask');
}

/**
 * A curator's mistake for the review queue to find: one region of the built dataset gets another
 * class of its object (with that class's description), so the dataset stays valid but the label is wrong.
 */
function mislabelOneRegion(dataset: string): void {
  const manifest = JSON.parse(readFileSync(join(dataset, 'dataset.json'), 'utf8')) as { descriptions: { object: string; defect: string; text: string }[] };
  const lines = readFileSync(join(dataset, 'test.jsonl'), 'utf8').split('\n').filter(Boolean);
  const records = lines.map((l) => JSON.parse(l) as { object: string; regions: { defect: string; description: string }[] });
  for (const record of records) {
    const other = manifest.descriptions.find((d) => d.object === record.object && d.defect !== record.regions[0].defect);
    if (!other) continue;
    record.regions[0] = { ...record.regions[0], defect: other.defect, description: other.text };
    writeFileSync(join(dataset, 'test.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return;
  }
  throw new Error('no object of the sample has two classes');
}

/** A record of the built dataset's test.jsonl as it is on disk now. */
export function datasetRecord(record: string): { regions: { description: string; area: number }[] } {
  const file = join(where.workspace, 'dataset', 'test.jsonl');
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.trim() !== '' && (JSON.parse(l) as { image: string }).image === record);
  if (!line) throw new Error(`${file} has no record of ${record}`);
  return JSON.parse(line) as { regions: { description: string; area: number }[] };
}

/** Another program gives the record's region another description in test.jsonl (temp file + rename, as editors save). */
export function describeOnDisk(record: string, id: number, description: string): void {
  const file = join(where.workspace, 'dataset', 'test.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n').map((l) => {
    if (l.trim() === '') return l;
    const r = JSON.parse(l) as { image: string; regions: { description: string }[] };
    if (r.image !== record) return l;
    r.regions[id - 1].description = description;
    return JSON.stringify(r);
  });
  writeFileSync(`${file}.tmp`, lines.join('\n'));
  renameSync(`${file}.tmp`, file);
}

export async function maskSize(file: string): Promise<{ width: number; height: number; pixels: number }> {
  const meta = await sharp(file).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0, pixels: (meta.width ?? 0) * (meta.height ?? 0) };
}

export async function maskPixels(file: string): Promise<number[]> {
  const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const out: number[] = [];
  for (let i = 0; i < info.width * info.height; i++) if (data[i] !== 0) out.push(i);
  return out;
}
