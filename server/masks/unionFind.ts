/** Disjoint sets over 0..size-1 in one typed array (path halving, smaller index as root). */
export class UnionFind {
  readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  find(i: number): number {
    const parent = this.parent;
    while (parent[i] !== i) {
      const up = parent[parent[i]];
      parent[i] = up;
      i = up;
    }
    return i;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (rb < ra) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
  }
}

/**
 * Numbers the sets that hold the marked elements 0, 1, … in the order of each set's first
 * marked element (row-major pixel order), writing each marked element's number into `labels`.
 */
export function numberSets(sets: UnionFind, marked: Uint8Array, labels: Int32Array): number {
  const idOfRoot = new Int32Array(marked.length).fill(-1);
  let count = 0;
  for (let i = 0; i < marked.length; i++) {
    if (!marked[i]) continue;
    const root = sets.find(i);
    let id = idOfRoot[root];
    if (id < 0) id = idOfRoot[root] = count++;
    labels[i] = id;
  }
  return count;
}
