// Long arrays without spreading them into a call's arguments: `a.push(...b)` and
// `Math.max(...b)` overflow the stack past about 100,000 elements.

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
