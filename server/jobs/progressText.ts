// Readable text for trainer progress events (CLI bars and logs).
import type { DoneEvent, EvalEvent, StartEvent, StepEvent, StoppedEvent } from './trainProgress';

export function percent(value: number | null | undefined): string {
  return typeof value === 'number' ? `${(100 * value).toFixed(1)}%` : 'n/a';
}

export function duration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function startLine(e: StartEvent): string {
  const resumed = e.resumed_from !== null ? `, resuming after step ${e.resumed_from}` : '';
  const processes = e.world_size > 1 ? ` x ${e.world_size} processes` : '';
  return `training on ${e.device}${processes} (amp ${e.amp}): ${e.samples.train} training and ${e.samples.val} validation regions, ` +
    `${e.descriptions} descriptions, ${e.steps.total} steps in ${e.epochs} epoch(s), ${e.trainable_parameters.toLocaleString('en-US')} trainable parameters${resumed}`;
}

/** The bar's trailing info: epoch, loss, last validation accuracy, samples/s. */
export function stepInfo(e: StepEvent, epochs: number, lastAccuracy?: number | null): string {
  const rate = typeof e.samples_per_s === 'number' ? ` | ${e.samples_per_s.toFixed(1)} samples/s` : '';
  const acc = lastAccuracy !== undefined ? ` | val acc ${percent(lastAccuracy)}` : '';
  return `epoch ${e.epoch}/${epochs} | loss ${e.loss.toFixed(4)}${acc}${rate}`;
}

export function evalLine(e: EvalEvent): string {
  const loss = typeof e.val_loss === 'number' ? `, loss ${e.val_loss.toFixed(4)}` : '';
  return `epoch ${e.epoch} (step ${e.step}): validation accuracy ${percent(e.val_accuracy)} over ${e.samples} regions${loss}${e.best ? ' (best so far)' : ''}`;
}

export function stoppedText(e: StoppedEvent): string {
  const why = e.signal === 'stop-at' ? 'as asked (--stop-at)' : `on ${e.signal}`;
  const where = e.checkpoint ? `; checkpoint ${e.checkpoint}` : '';
  return `training stopped ${why} after step ${e.step}${where}. Run the same command again to resume.\n`;
}

export function doneText(e: DoneEvent): string {
  const lines = [`training finished: ${e.steps ?? '?'} steps in ${duration(e.seconds)}, best validation accuracy ${percent(e.best_accuracy)}` +
    (e.best_epoch ? ` (epoch ${e.best_epoch}, step ${e.best_step})` : '')];
  if (e.paths.run) lines.push(`  run:    ${e.paths.run}`);
  if (e.paths.best) lines.push(`  best:   ${e.paths.best}`);
  if (e.paths.bundle) lines.push(`  bundle: ${e.paths.bundle}`);
  return `${lines.join('\n')}\n`;
}
