// @pure: part of splitting a mask into regions (split.ts).
// The pixel offsets within eps of a point, with the very comparison density-clustering makes
// (Math.sqrt of the integer squared distance, strictly less than eps), so that no rounding
// of eps² can put an offset on the other side of the boundary.

export function withinEps(dx: number, dy: number, eps: number): boolean {
  return Math.sqrt(dx * dx + dy * dy) < eps;
}

/**
 * Half-widths of the disc row by row: `halfWidth[dy]` is the largest dx with (dx, dy) within
 * eps, for dy = 0..radius; rows and widths are capped at the grid's size (anything further
 * never lands on the grid).  eps ≤ 1 gives radius 0 and halfWidth [0]: the point alone.
 */
export function discRows(eps: number, width: number, height: number): Int32Array {
  const maxDx = Math.max(0, width - 1);
  const maxDy = Math.max(0, height - 1);
  let radius = Math.min(maxDy, Number.isFinite(eps) ? Math.floor(eps) : maxDy);
  while (radius > 0 && !withinEps(0, radius, eps)) radius--;
  const halfWidth = new Int32Array(radius + 1);
  for (let dy = 0; dy <= radius; dy++) {
    const guess = Math.floor(Math.sqrt(Math.max(0, eps * eps - dy * dy)));
    let dx = Number.isFinite(guess) ? Math.min(guess, maxDx) : maxDx;
    while (dx < maxDx && withinEps(dx + 1, dy, eps)) dx++;
    while (dx > 0 && !withinEps(dx, dy, eps)) dx--;
    halfWidth[dy] = dx;
  }
  return halfWidth;
}
