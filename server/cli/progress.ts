import { SingleBar, Presets } from 'cli-progress';
import type { Progress } from '../util/progress';

/** A progress bar on a terminal; silent when stderr is not a TTY or output is JSON. */
export function createProgress(options: { enabled?: boolean } = {}): Progress {
  const enabled = (options.enabled ?? true) && Boolean(process.stderr.isTTY) && !process.env.CI;
  if (!enabled) return { start() {}, tick() {}, stop() {} };
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: '{label} [{bar}] {value}/{total} {percentage}% | {rate}/s | eta {eta_formatted} {info}',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let startedAt = 0;
  let done = 0;
  return {
    start(total, label) {
      startedAt = Date.now();
      done = 0;
      bar.start(total, 0, { label, rate: '0.0', info: '' });
    },
    tick(n = 1, info = '') {
      done += n;
      const seconds = (Date.now() - startedAt) / 1000;
      bar.increment(n, { rate: seconds > 0 ? (done / seconds).toFixed(1) : '0.0', info });
    },
    stop() {
      bar.stop();
    },
  };
}
