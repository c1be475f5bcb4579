// --max-pixels, shared by the commands that decode images (split, build, describe, eval).
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_PIXELS, MAX_PIXELS_ENV, parseMaxPixels } from '../image/pixelLimit';

export function maxPixelsOption(): Option {
  return new Option('--max-pixels <n>', `refuse images and masks with more pixels, checked from the header before decoding (default ${DEFAULT_MAX_PIXELS}, or ${MAX_PIXELS_ENV})`).argParser(
    (value: string) => {
      const limit = parseMaxPixels(value);
      if (limit === undefined) throw new InvalidArgumentError('expected a positive whole number of pixels.');
      return limit;
    },
  );
}
