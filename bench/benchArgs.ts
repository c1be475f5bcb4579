// What the benchmarks share: their command-line options and a fixed-seed random sequence, so a
// run draws the same masks every time.

/** The value after `--name` on the command line, else `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Numbers in [0, 1) from a linear congruential generator started at `seed`. */
export function seededRandom(seed = 20240607): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}
