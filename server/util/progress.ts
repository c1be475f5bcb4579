/** How a long job reports its progress: a bar on a terminal (the CLI) or notifications (the child server). */
export interface Progress {
  start(total: number, label: string): void;
  tick(n?: number, info?: string): void;
  stop(): void;
}

/**
 * One progress over stages done one after the other (the splits of a review, say), each of which
 * reports its own count from zero: `outer` is started once with the stages' weights summed, and
 * each stage's count is scaled into its share, so the count only goes forward. A stage that ends
 * short, or is skipped, is counted as done when the next one starts.
 */
export function progressInStages(outer: Progress, weights: readonly number[], label: string): { stages: Progress[]; finish(): void } {
  const offsets = weights.map((_, i) => weights.slice(0, i).reduce((a, b) => a + b, 0));
  let shown = 0;
  let started = false;
  const moveTo = (target: number, info?: string) => {
    if (!started) {
      started = true;
      outer.start(weights.reduce((a, b) => a + b, 0), label);
    }
    const next = Math.max(shown, Math.round(target));
    if (next > shown || info) outer.tick(next - shown, info);
    shown = next;
  };
  const stages = weights.map((weight, i): Progress => {
    let total = 0;
    let done = 0;
    return {
      start: (count) => {
        total = count;
        done = 0;
        moveTo(offsets[i]);
      },
      tick: (n = 1, info) => {
        done += n;
        moveTo(offsets[i] + (total > 0 ? Math.min(1, done / total) * weight : 0), info);
      },
      stop: () => undefined,
    };
  });
  /** Every stage done (those skipped at the end too). */
  const finish = () => moveTo(weights.reduce((a, b) => a + b, 0));
  return { stages, finish };
}
