// DBSCAN over the foreground pixels of a grid, exact to density-clustering's DBSCAN run on
// the same pixels listed in row-major order, but linear in the pixels (times the disc's rows)
// instead of quadratic.
//
// The library visits points in list order; an unvisited point with fewer than minPts points
// at distance < eps (itself included) is noise for now, otherwise it seeds a new cluster that
// is expanded completely (every core point reached adds its neighbourhood) before the scan
// goes on.  Hence:
//   - a cluster's core points are a connected component of the graph "core points closer
//     than eps", and clusters are numbered in the order of their first core point;
//   - a non-core point within eps of core points of several clusters is taken by the first
//     cluster whose expansion reaches it, which is the lowest-numbered one, because each
//     cluster is finished before the next one starts;
//   - a non-core point near no core point stays noise.
// This module computes exactly that, so the partition and the numbering both match.
import { discRows } from './disc';
import { UnionFind, numberSets } from './unionFind';

export interface Clustering {
  /** Cluster of each grid cell, numbered as density-clustering numbers them; -1 for background and noise. */
  labels: Int32Array;
  clusters: number;
  /** Points that joined no cluster. */
  noise: number;
}

/** Core points: at least minPts points (itself included) within eps, counted from row prefix sums. */
function markCore(points: Uint8Array, width: number, height: number, halfWidth: Int32Array, minPts: number): Uint8Array {
  const stride = width + 1;
  const prefix = new Int32Array(height * stride);
  const rowsBefore = new Int32Array(height + 1);
  for (let y = 0; y < height; y++) {
    let run = 0;
    for (let x = 0; x < width; x++) {
      run += points[y * width + x];
      prefix[y * stride + x + 1] = run;
    }
    rowsBefore[y + 1] = rowsBefore[y] + run;
  }
  const radius = halfWidth.length - 1;
  // Rows of the disc that span the whole grid width are counted together as whole rows.
  let wholeRows = 0;
  while (wholeRows <= radius && halfWidth[wholeRows] >= width - 1) wholeRows++;

  const core = new Uint8Array(points.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!points[i]) continue;
      let count: number;
      let dy: number;
      if (wholeRows > 0) {
        const top = y - wholeRows + 1;
        const bottom = y + wholeRows;
        count = rowsBefore[bottom < height ? bottom : height] - rowsBefore[top > 0 ? top : 0];
        dy = wholeRows;
      } else {
        const w = halfWidth[0];
        const row = y * stride;
        count = prefix[row + (x + w < width ? x + w + 1 : width)] - prefix[row + (x > w ? x - w : 0)];
        dy = 1;
      }
      for (; dy <= radius && count < minPts; dy++) {
        const w = halfWidth[dy];
        const from = x > w ? x - w : 0;
        const to = x + w < width ? x + w + 1 : width;
        if (y >= dy) {
          const row = (y - dy) * stride;
          count += prefix[row + to] - prefix[row + from];
        }
        if (y + dy < height) {
          const row = (y + dy) * stride;
          count += prefix[row + to] - prefix[row + from];
        }
      }
      if (count >= minPts) core[i] = 1;
    }
  }
  return core;
}

/**
 * Core points of one row that follow each other closer than eps form a chain; every core
 * point of a chain is in the same cluster, so a disc row needs one look per chain it meets.
 * `next[y*(width+1)+x]` is the first core x' >= x of row y (width if none); `chainEnd[i]`
 * the last x of core point i's chain.  Links each chain's points together in `sets`.
 */
function chainRows(core: Uint8Array, width: number, height: number, sameRowReach: number, sets: UnionFind) {
  const stride = width + 1;
  const next = new Int32Array(height * stride);
  const chainEnd = new Int32Array(core.length);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const base = y * width;
    next[row + width] = width;
    let following = width;
    let end = -1;
    for (let x = width - 1; x >= 0; x--) {
      if (core[base + x]) {
        if (following < width && following - x <= sameRowReach) sets.union(base + x, base + following);
        else end = x;
        chainEnd[base + x] = end;
        following = x;
      }
      next[row + x] = following;
    }
  }
  return { next, chainEnd };
}

export function dbscanGrid(points: Uint8Array, width: number, height: number, eps: number, minPts: number): Clustering {
  const size = width * height;
  if (points.length !== size) throw new RangeError(`dbscanGrid: ${points.length} cells for a ${width}x${height} grid`);
  const halfWidth = discRows(eps, width, height);
  const radius = halfWidth.length - 1;
  const core = minPts <= 1 ? points : markCore(points, width, height, halfWidth, minPts);

  const sets = new UnionFind(size);
  const { next, chainEnd } = chainRows(core, width, height, halfWidth[0], sets);
  const stride = width + 1;

  // Link each core point to every chain of core points within eps in the rows below it.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!core[i]) continue;
      for (let dy = 1; dy <= radius && y + dy < height; dy++) {
        const w = halfWidth[dy];
        const last = x + w < width ? x + w : width - 1;
        const row = (y + dy) * stride;
        const base = (y + dy) * width;
        let q = next[row + (x > w ? x - w : 0)];
        while (q <= last) {
          sets.union(i, base + q);
          q = next[row + chainEnd[base + q] + 1];
        }
      }
    }
  }

  const labels = new Int32Array(size).fill(-1);
  const clusters = numberSets(sets, core, labels);

  // Border points go to the lowest-numbered cluster with a core point within eps.
  let noise = 0;
  if (core !== points) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!points[i] || core[i]) continue;
        let best = clusters;
        const top = y > radius ? y - radius : 0;
        const bottom = y + radius < height ? y + radius : height - 1;
        for (let yy = top; yy <= bottom && best > 0; yy++) {
          const w = halfWidth[yy > y ? yy - y : y - yy];
          const last = x + w < width ? x + w : width - 1;
          const row = yy * stride;
          const base = yy * width;
          let q = next[row + (x > w ? x - w : 0)];
          while (q <= last) {
            const cluster = labels[base + q];
            if (cluster < best) best = cluster;
            q = next[row + chainEnd[base + q] + 1];
          }
        }
        if (best < clusters) labels[i] = best;
        else noise++;
      }
    }
  }
  return { labels, clusters, noise };
}
