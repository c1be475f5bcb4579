// Region splitting time against eps: on a white 2000x2000 mask (and a sparse random one),
// DBSCAN with eps 1e9 (a disc far larger than the mask) against eps 1.5.  Prints the times
// and their ratio; exits 1 when a ratio is above 3 (splitting must stay near-linear for any eps).
//   npm run bench:split-eps [-- --rounds N] [--size S]
import { splitMask } from '../server/masks/split';
import type { LabelMask } from '../server/masks/types';
import { arg, seededRandom } from './benchArgs';

const rounds = Number(arg('--rounds', '5'));
const size = Number(arg('--size', '2000'));
const LIMIT = 3;

const random = seededRandom();

const masks: { name: string; mask: LabelMask }[] = [
  { name: `white ${size}x${size}`, mask: { width: size, height: size, values: new Uint16Array(size * size).fill(1) } },
  { name: `10% random ${size}x${size}`, mask: { width: size, height: size, values: Uint16Array.from({ length: size * size }, () => (random() < 0.1 ? 1 : 0)) } },
];

/** Median wall time in ms of `rounds` runs. */
function time(mask: LabelMask, eps: number, minPts: number): { ms: number; regions: number } {
  const times: number[] = [];
  let regions = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    regions = splitMask(mask, { mode: 'dbscan', eps, minPts }).regions.length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], regions };
}

let failed = false;
console.log(`median of ${rounds} rounds; limit: eps 1e9 at most ${LIMIT}x the time of eps 1.5`);
console.log('mask                      minPts  eps 1.5 (ms)  eps 1e9 (ms)  ratio  regions (1.5 / 1e9)');
for (const { name, mask } of masks) {
  for (const minPts of [1, 5]) {
    const small = time(mask, 1.5, minPts);
    const huge = time(mask, 1e9, minPts);
    const ratio = huge.ms / small.ms;
    if (ratio > LIMIT) failed = true;
    console.log(
      `${name.padEnd(26)}${String(minPts).padStart(6)}${small.ms.toFixed(0).padStart(14)}${huge.ms.toFixed(0).padStart(14)}${ratio.toFixed(2).padStart(7)}  ${small.regions} / ${huge.regions}${ratio > LIMIT ? '  OVER THE LIMIT' : ''}`,
    );
  }
}
process.exit(failed ? 1 : 0);
