// Long arrays without spreading them into a call's arguments (`a.push(...b)` and `Math.max(...b)`
// overflow the stack past about 100,000 elements), and grouping items by a key.

/** Appends every item to `target`, which it returns. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Math.max of the values (-Infinity for none), for any number of them. */
export function maxOf(values: Iterable<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) max = Math.max(max, value);
  return max;
}

/** The items grouped by key, groups and items in the order they first appear. */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
