// Tokenising descriptions with the CLIP vocabulary: rate, and what the per-word BPE cache
// buys against the same tokenizer without it (measured in this run).
//   npm run bench:tokenize [-- --vocab FILE] [--count N]
import { join } from 'node:path';
import { ClipTokenizer } from '../server/model/tokenizer';
import { arg } from './benchArgs';

const vocab = arg('--vocab', join(__dirname, '..', '..', 'shared', 'data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz'));
const count = Number(arg('--count', '10000'));

// Descriptions shaped like a region dataset's: object, defect, place, size, free wording.
const objects = ['bottle', 'cable', 'capsule', 'carpet', 'grid', 'hazelnut', 'leather', 'metal nut', 'pill', 'screw', 'tile', 'toothbrush', 'transistor', 'wood', 'zipper', 'pcb', 'candle', 'cashew', 'chewing gum', 'macaroni', 'fryum', 'pipe fryum'];
const defects = ['crack', 'scratch', 'hole', 'cut inner insulation', 'cut outer insulation', 'poke', 'faulty imprint', 'squeeze', 'contamination', 'broken teeth', 'fabric border', 'bent lead', 'misplaced', 'glue strip', 'gray stroke', 'oil', 'rough', 'color', 'fold', 'thread', 'missing wire', 'cable swap', 'manipulated front', 'liquid', 'split teeth'];
const sizes = ['tiny', 'small', 'thin', 'long', 'large', 'wide', 'faint', 'deep', 'irregular', 'elongated', 'round', 'dark', 'bright', 'shallow'];
const places = ['near the upper left edge', 'in the centre', 'along the rim', 'on the lower right', 'close to the thread', 'at the tip', 'across the surface', 'beside the label', 'on the outer ring', 'under the cap'];
const templates = [
  (o: string, d: string) => `${d} in ${o}`,
  (o: string, d: string) => `a photo of a ${o} with ${d}`,
  (o: string, d: string, s: string, p: string) => `a ${s} ${d} ${p} of the ${o}`,
  (o: string, d: string, s: string, p: string) => `The ${o} shows a ${s}, ${d}-like defect ${p}.`,
  (o: string, d: string, s: string, p: string, n: number) => `${d} #${n} (${s}) on ${o}; ${p}`,
];

let seed = 12345;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed % n;
}
const pick = <T>(list: readonly T[]): T => list[rand(list.length)];
const texts = Array.from({ length: count }, () => pick(templates)(pick(objects), pick(defects), pick(sizes), pick(places), rand(1000)));

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function encodeAll(tokenizer: ClipTokenizer): number {
  let tokens = 0;
  for (const text of texts) tokens += tokenizer.encodeForModel(text).ids.length;
  return tokens;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

let loaded: ClipTokenizer | undefined;
const loadMs = time(() => {
  loaded = ClipTokenizer.fromFile(vocab);
});
if (!loaded) throw new Error('no tokenizer');
const merges = loaded.mergeCount;

const rounds = 5;
const uncached: number[] = [];
const cold: number[] = [];
const warm: number[] = [];
let tokens = 0;
for (let r = 0; r < rounds; r++) {
  const reference = ClipTokenizer.fromFile(vocab, { cache: false });
  uncached.push(time(() => encodeAll(reference)));
  const tokenizer = ClipTokenizer.fromFile(vocab);
  cold.push(time(() => (tokens = encodeAll(tokenizer))));
  warm.push(time(() => encodeAll(tokenizer)));
}

const rate = (ms: number) => Math.round((count / ms) * 1000).toLocaleString('en-US');
const distinctWords = (() => {
  const t = ClipTokenizer.fromFile(vocab);
  encodeAll(t);
  return t.cachedWords - 2;
})();
console.log(`vocabulary: ${merges} merges, loaded in ${loadMs.toFixed(0)} ms`);
console.log(`${count} descriptions, ${tokens} tokens, ${distinctWords} distinct words; median of ${rounds} rounds`);
console.log(`no cache (reference):  ${median(uncached).toFixed(1)} ms  ${rate(median(uncached))} texts/s`);
console.log(`cold cache:            ${median(cold).toFixed(1)} ms  ${rate(median(cold))} texts/s`);
console.log(`warm cache:            ${median(warm).toFixed(1)} ms  ${rate(median(warm))} texts/s`);
console.log(`speed-up: cold cache ${(median(uncached) / median(cold)).toFixed(1)}x, warm cache ${(median(uncached) / median(warm)).toFixed(1)}x vs no cache; warm vs cold ${(median(cold) / median(warm)).toFixed(1)}x`);
