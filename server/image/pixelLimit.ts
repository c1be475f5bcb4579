// The largest image, in pixels, that is decoded: a small compressed file can hold a huge
// picture (a 300 KB PNG of 16000x16000 pixels decodes to gigabytes), so the size is checked
// from the header before any pixel is decoded, as sharp's limitInputPixels does.
import { UserError } from '../util/errors';

export const DEFAULT_MAX_PIXELS = 64_000_000;
export const MAX_PIXELS_ENV = 'ANOMALY_LENS_MAX_PIXELS';

let configured: number | undefined;

/** Parses a pixel limit: a positive integer. */
export function parseMaxPixels(text: string): number | undefined {
  const n = Number(text);
  return text.trim() !== '' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Sets the limit for this thread (from a command-line flag); undefined goes back to the default. */
export function setMaxPixels(limit: number | undefined): void {
  configured = limit;
}

/** The limit in force: a flag's value, else ANOMALY_LENS_MAX_PIXELS, else 64 megapixels. */
export function maxPixels(): number {
  if (configured !== undefined) return configured;
  const fromEnv = process.env[MAX_PIXELS_ENV];
  if (fromEnv === undefined || fromEnv === '') return DEFAULT_MAX_PIXELS;
  const limit = parseMaxPixels(fromEnv);
  if (limit === undefined) throw new UserError(`${MAX_PIXELS_ENV}=${fromEnv}: expected a positive whole number of pixels`);
  return limit;
}

function amount(pixels: number): string {
  return pixels >= 1e6 ? `${Number((pixels / 1e6).toFixed(1))} megapixels` : `${pixels} pixels`;
}

/** Throws a UserError naming the file when width x height exceeds the limit. */
export function checkPixelLimit(file: string, width: number, height: number, limit: number = maxPixels()): void {
  const pixels = width * height;
  if (pixels <= limit) return;
  throw new UserError(
    `the image is ${width}x${height} (${amount(pixels)}), over the limit of ${limit} pixels${limit >= 1e6 ? ` (${amount(limit)})` : ''}; raise it with --max-pixels or ${MAX_PIXELS_ENV} if the image is genuine`,
    file,
  );
}
