// A region's pixels, read back from its mask PNG in a built dataset.
import { readMask } from '../../image/mask';
import { resolveInsideReal } from '../../util/paths';

/** Pixel indices (y * width + x, ascending) of a region mask of the dataset. */
export async function regionPixels(dataset: string, mask: string): Promise<{ pixels: Uint32Array; width: number; height: number }> {
  const { mask: read } = await readMask(resolveInsideReal(dataset, mask));
  const found: number[] = [];
  for (let i = 0; i < read.values.length; i++) if (read.values[i] !== 0) found.push(i);
  return { pixels: Uint32Array.from(found), width: read.width, height: read.height };
}
