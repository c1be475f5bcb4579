// When a crashed server is started again: after a delay that doubles with each crash inside a
// sliding window, and not at all once the window holds more crashes than allowed.

export interface RestartPolicy {
  /** Restarts allowed within the window; one more crash and the client gives up. */
  maxRestarts: number;
  windowMs: number;
  /** Delay before the first restart; each further crash in the window doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 4, windowMs: 3 * 60_000, baseDelayMs: 500, maxDelayMs: 10_000 };

export type CrashDecision = { restart: true; attempt: number; delayMs: number } | { restart: false; crashes: number };

export class CrashHistory {
  private times: number[] = [];

  constructor(
    readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash and says whether, and after how long, to restart. */
  record(): CrashDecision {
    const t = this.now();
    this.times = this.times.filter((at) => t - at < this.policy.windowMs);
    this.times.push(t);
    const crashes = this.times.length;
    if (crashes > this.policy.maxRestarts) return { restart: false, crashes };
    const delayMs = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (crashes - 1));
    return { restart: true, attempt: crashes, delayMs };
  }

  reset(): void {
    this.times = [];
  }
}
