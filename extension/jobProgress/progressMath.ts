// Percentages and remaining time of a job from its progress reports (done of total), for the
// progress notification and the views. Pure.

export interface ProgressView {
  /** 0..100, undefined while the total is unknown. */
  percent?: number;
  /** Seconds left, estimated from the rate since the first report with work done. */
  etaSeconds?: number;
}

export class EtaEstimator {
  private first: { at: number; done: number } | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  update(done: number, total: number): ProgressView {
    if (!(total > 0)) return {};
    const fraction = Math.min(1, Math.max(0, done / total));
    const percent = fraction * 100;
    const t = this.now();
    if (!this.first || done < this.first.done) this.first = { at: t, done };
    const elapsed = (t - this.first.at) / 1000;
    const advanced = done - this.first.done;
    if (advanced <= 0 || elapsed <= 0) return { percent };
    return { percent, etaSeconds: Math.max(0, ((total - done) * elapsed) / advanced) };
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "42% · about 1 min 05 s left · <message>" (parts that are unknown are left out). */
export function progressText(view: ProgressView, message?: string): string {
  const parts: string[] = [];
  if (view.percent !== undefined) parts.push(`${Math.floor(view.percent)}%`);
  if (view.etaSeconds !== undefined) parts.push(`about ${formatDuration(view.etaSeconds)} left`);
  if (message) parts.push(message);
  return parts.join(' · ');
}

/**
 * VS Code's progress takes increments; this turns absolute percentages into them, never
 * going back (a restarted count shows no jump backwards).
 */
export class IncrementTracker {
  private shown = 0;

  next(percent: number | undefined): number | undefined {
    if (percent === undefined || percent <= this.shown) return undefined;
    const increment = percent - this.shown;
    this.shown = percent;
    return increment;
  }
}
