// Operations on regions given as pixel index lists (y*width+x) of a width×height image.

/** Number of 8-connected components among the pixels. */
export function componentCount8(pixels: readonly number[], width: number, height: number): number {
  const inside = new Uint8Array(width * height);
  for (const p of pixels) inside[p] = 1;
  const stack: number[] = [];
  let count = 0;
  for (const start of pixels) {
    if (inside[start] !== 1) continue;
    count++;
    inside[start] = 2;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (inside[q] === 1) {
            inside[q] = 2;
            stack.push(q);
          }
        }
      }
    }
  }
  return count;
}

/** Marks every pixel within Chebyshev distance `radius` of the region in `map`. */
export function markAround(map: Uint8Array, pixels: readonly number[], width: number, height: number, radius: number): void {
  for (const p of pixels) {
    const x = p % width;
    const y = (p - x) / width;
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height - 1, y + radius);
    const x0 = Math.max(0, x - radius);
    const x1 = Math.min(width - 1, x + radius);
    for (let yy = y0; yy <= y1; yy++) map.fill(1, yy * width + x0, yy * width + x1 + 1);
  }
}

/** True when some pixel of the region is set in `map`. */
export function touches(map: Uint8Array, pixels: readonly number[]): boolean {
  for (const p of pixels) if (map[p]) return true;
  return false;
}

/** Share of the region's pixels set in `map` (0 for an empty region). */
export function fractionIn(map: Uint8Array, pixels: readonly number[]): number {
  if (pixels.length === 0) return 0;
  let n = 0;
  for (const p of pixels) if (map[p]) n++;
  return n / pixels.length;
}

/** True when every pixel is at least `border` pixels away from the image edge. */
export function awayFromEdge(pixels: readonly number[], width: number, height: number, border: number): boolean {
  for (const p of pixels) {
    const x = p % width;
    const y = (p - x) / width;
    if (x < border || y < border || x >= width - border || y >= height - border) return false;
  }
  return true;
}
