// sharp (libvips), loaded when first used: a build worker that meets only PNG images and plain
// grey PNG masks never loads it, which saves each worker thread tens of milliseconds of
// start-up.
import type sharpFunction from 'sharp';

type Sharp = typeof sharpFunction;
let loaded: Sharp | undefined;

/** The function `import sharp from 'sharp'` gives. */
export function libvips(): Sharp {
  loaded ??= require('sharp') as Sharp;
  return loaded;
}
