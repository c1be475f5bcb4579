// Shared by the sample-generator tests: an independent connected-component labelling and
// tree hashing, so the generator is checked against code it does not use itself.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

export interface Component {
  /** The mask values met in the component. */
  values: Set<number>;
  pixels: number[];
}

/** 8-connected components of the non-zero pixels (breadth-first, queue based). */
export function components8(mask: Uint8Array, width: number, height: number): Component[] {
  const seen = new Uint8Array(mask.length);
  const out: Component[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || seen[start]) continue;
    const queue = [start];
    seen[start] = 1;
    const component: Component = { values: new Set(), pixels: [] };
    for (let head = 0; head < queue.length; head++) {
      const p = queue[head];
      component.values.add(mask[p]);
      component.pixels.push(p);
      const x = p % width;
      const y = Math.floor(p / width);
      for (const [dx, dy] of [[-1, -1], [0, -1], [1, -1], [-1, 0], [1, 0], [-1, 1], [0, 1], [1, 1]]) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (mask[q] !== 0 && !seen[q]) {
          seen[q] = 1;
          queue.push(q);
        }
      }
    }
    out.push(component);
  }
  return out;
}

/** Smallest Chebyshev distance between pixels of two components (brute force). */
export function chebyshevGap(a: readonly number[], b: readonly number[], width: number): number {
  let best = Infinity;
  for (const p of a) {
    const px = p % width;
    const py = Math.floor(p / width);
    for (const q of b) best = Math.min(best, Math.max(Math.abs(px - (q % width)), Math.abs(py - Math.floor(q / width))));
  }
  return best;
}

/** Every file below `dir` as a forward-slash relative path, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** sha256 of every file below `dir`, by relative path. */
export function treeHashes(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'anomaly-lens-sample-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
