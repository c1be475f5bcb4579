// The image under the regions: an <img> decoded off the page's thread (the browser's
// asynchronous decode) and shown as it is, so opening and panning a large image keep the page
// responsive.  Its RGBA pixels, which only the magic wand needs, are read when the wand first
// asks for them (reading them copies the whole image on the page's thread, so it is not done
// for an image the wand never touches).
import { imageLayer } from './page';

let shown: HTMLImageElement = imageLayer;
let loads = 0;
let pixels: Uint8ClampedArray | undefined;

/**
 * Shows the image at `uri` (width x height pixels) in the image layer; resolves true once it is
 * on screen, false when a later call superseded it.
 */
export async function showImage(uri: string, width: number, height: number): Promise<boolean> {
  const load = ++loads;
  pixels = undefined;
  const image = new Image(width, height);
  image.className = shown.className;
  image.alt = '';
  image.src = uri;
  await image.decode();
  if (load !== loads) return false;
  shown.replaceWith(image);
  shown = image;
  return true;
}

/** The shown image's RGBA pixels (read on the first call for each image); undefined while none is shown. */
export function imagePixels(): Uint8ClampedArray | undefined {
  if (pixels || shown === imageLayer) return pixels;
  const { width, height } = shown;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  ctx.drawImage(shown, 0, 0, width, height);
  pixels = ctx.getImageData(0, 0, width, height).data;
  return pixels;
}
