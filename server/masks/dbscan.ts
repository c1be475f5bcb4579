// @pure: part of splitting a mask into regions (split.ts).
// DBSCAN over the foreground pixels of a mask, exact to density-clustering's DBSCAN run on
// the same pixels listed in row-major order, in time near-linear in the pixels for any eps
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
//
// Neighbourhoods are read row by row from the sorted pixel list: within a row the disc is an
// interval of x, found with pointers that only move right as the scan moves right.
import { discRows } from './disc';
import type { PixelRows } from './pixelRows';
import { markCore } from './core';
import { UnionFind } from './unionFind';

export interface Clustering {
  /** Cluster of each pixel of the list, numbered as density-clustering numbers them; -1 for noise. */
  labels: Int32Array;
  clusters: number;
  noise: number;
}

/** The first position in [from, to) of the ascending xs with a value >= x (to if none). */
function firstAtLeast(xs: Int32Array, from: number, to: number, x: number): number {
  while (from < to) {
    const mid = (from + to) >>> 1;
    if (xs[mid] < x) from = mid + 1;
    else to = mid;
  }
  return from;
}

/**
 * Core points of one row that follow each other closer than eps form a chain; all of a
 * chain is one cluster, so chains (named by their last position) are what gets linked, and
 * a disc row needs one look per chain it meets.  `nextCore[k]` is the first core position
 * >= k in k's row (past the row's end if none); `chainEnd[k]` the last position of core
 * point k's chain; `widestGap[end]` the largest x step between core points of the chain
 * that ends at `end`.
 */
function chainRows(shape: PixelRows, core: Uint8Array, sameRowReach: number) {
  const { rows, rowStart, xs } = shape;
  const n = shape.pixels.length;
  const nextCore = new Int32Array(n + 1);
  const chainEnd = new Int32Array(n);
  const widestGap = new Int32Array(n);
  nextCore[n] = n;
  for (let row = 0; row < rows; row++) {
    const begin = rowStart[row];
    const end = rowStart[row + 1];
    let following = end;
    let last = -1;
    for (let k = end - 1; k >= begin; k--) {
      if (core[k]) {
        if (following >= end || xs[following] - xs[k] > sameRowReach) last = k;
        else if (xs[following] - xs[k] > widestGap[last]) widestGap[last] = xs[following] - xs[k];
        chainEnd[k] = last;
        following = k;
      }
      nextCore[k] = following;
    }
  }
  return { nextCore, chainEnd, widestGap };
}

export function dbscanPixels(shape: PixelRows, eps: number, minPts: number): Clustering {
  const n = shape.pixels.length;
  const { rows, rowStart, xs } = shape;
  const halfWidth = discRows(eps, shape.right - shape.left + 1, rows);
  const radius = halfWidth.length - 1;
  const core = markCore(shape, halfWidth, minPts);

  const { nextCore, chainEnd, widestGap } = chainRows(shape, core, halfWidth[0]);
  const sets = new UnionFind(n);

  // Link each chain to every chain of core points within eps in the rows below it.  When the
  // chain's steps are at most 2·reach + 1 apart, the x within reach of some point of the chain
  // form one interval, [first - reach, last + reach], and the chain is handled whole; otherwise
  // point by point (a chain pair linked by one point is not linked again by the next point).
  // Either way the work per disc row is in the chains met, not the pixels, which keeps a
  // large eps (where a chain spans the row and the disc every row) linear in the box.
  for (let row = 0; row < rows; row++) {
    const begin = rowStart[row];
    const end = rowStart[row + 1];
    if (nextCore[begin] >= end) continue;
    for (let d = 1; d <= radius && row + d < rows; d++) {
      const reach = halfWidth[d];
      const otherBegin = rowStart[row + d];
      const otherEnd = rowStart[row + d + 1];
      if (otherBegin === otherEnd) continue;
      let a = otherBegin;
      for (let first = nextCore[begin]; first < end; first = nextCore[chainEnd[first] + 1]) {
        const mine = chainEnd[first];
        if (widestGap[mine] <= 2 * reach + 1) {
          const low = xs[first] - reach;
          const high = xs[mine] + reach;
          while (a < otherEnd && xs[a] < low) a++;
          for (let q = nextCore[a]; q < otherEnd && xs[q] <= high; q = nextCore[chainEnd[q] + 1]) sets.union(mine, chainEnd[q]);
          continue;
        }
        let linkedTheirs = -1;
        for (let k = first; k <= mine; k = nextCore[k + 1]) {
          const x = xs[k];
          while (a < otherEnd && xs[a] < x - reach) a++;
          for (let q = nextCore[a]; q < otherEnd && xs[q] <= x + reach; q = nextCore[chainEnd[q] + 1]) {
            const theirs = chainEnd[q];
            if (theirs === linkedTheirs) continue;
            sets.union(mine, theirs);
            linkedTheirs = theirs;
          }
        }
      }
    }
  }

  // Clusters numbered in the order of their first core point.
  const labels = new Int32Array(n).fill(-1);
  const clusterOfRoot = new Int32Array(n).fill(-1);
  let clusters = 0;
  let chain = -1;
  let cluster = -1;
  for (let k = 0; k < n; k++) {
    if (!core[k]) continue;
    if (chainEnd[k] !== chain) {
      chain = chainEnd[k];
      const root = sets.find(chain);
      if (clusterOfRoot[root] < 0) clusterOfRoot[root] = clusters++;
      cluster = clusterOfRoot[root];
    }
    labels[k] = cluster;
  }

  // Border points go to the lowest-numbered cluster with a core point within eps.
  let noise = 0;
  if (minPts > 1 && clusters === 0) noise = n;
  else if (minPts > 1) {
    for (let row = 0; row < rows; row++) {
      for (let k = rowStart[row]; k < rowStart[row + 1]; k++) {
        if (core[k]) continue;
        let best = clusters;
        for (let d = -radius; d <= radius; d++) {
          const other = row + d;
          if (other < 0 || other >= rows) continue;
          const reach = halfWidth[d < 0 ? -d : d];
          const end = rowStart[other + 1];
          const last = xs[k] + reach;
          for (let q = nextCore[firstAtLeast(xs, rowStart[other], end, xs[k] - reach)]; q < end && xs[q] <= last; q = nextCore[chainEnd[q] + 1]) {
            if (labels[q] < best) best = labels[q];
          }
          if (best === 0) break;
        }
        if (best < clusters) labels[k] = best;
        else noise++;
      }
    }
  }
  return { labels, clusters, noise };
}
