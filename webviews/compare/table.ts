// The run comparison's table as cells (pure, no DOM): one row per run, its final metrics and the
// settings it was trained with, as DVC's experiments table lays them out.
import type { ComparedRun } from './messages';
import { durationText } from '../training/runModel';

export interface Cell {
  text: string;
  /** right-aligned number */
  num?: boolean;
  /** the best of its column (the highest validation accuracy, the lowest final loss) */
  best?: boolean;
}

export const COLUMNS = ['Run', 'Status', 'Best val accuracy', 'Final loss', 'Epochs', 'Steps', 'Time', 'Base model', 'LoRA rank', 'Learning rate', 'Batch', 'Dataset'] as const;

const dash = '—';

function percent(v: number | null): string {
  return v === null ? dash : `${(v * 100).toFixed(2)} %`;
}

/** Of several values, those equal to the best one; none when fewer than two runs have a value or all are equal. */
function bestOnes(values: (number | null)[], better: (a: number, b: number) => boolean): Set<number> {
  const known = values.filter((v): v is number => v !== null);
  if (known.length < 2) return new Set();
  const best = known.reduce((b, v) => (better(v, b) ? v : b));
  if (known.every((v) => v === best)) return new Set();
  return new Set(values.flatMap((v, i) => (v === best ? [i] : [])));
}

export function tableRows(runs: readonly ComparedRun[]): Cell[][] {
  const bestAccuracy = bestOnes(runs.map((r) => r.facts.bestValAccuracy), (a, b) => a > b);
  const bestLoss = bestOnes(runs.map((r) => r.facts.finalLoss), (a, b) => a < b);
  return runs.map((run, i) => {
    const f = run.facts;
    return [
      { text: run.name },
      { text: f.status },
      { text: f.bestValAccuracy === null ? dash : `${percent(f.bestValAccuracy)}${f.bestStep !== null ? ` (step ${f.bestStep})` : ''}`, num: true, best: bestAccuracy.has(i) },
      { text: f.finalLoss === null ? dash : f.finalLoss.toFixed(4), num: true, best: bestLoss.has(i) },
      { text: f.epoch === null ? dash : f.epochs !== null ? `${f.epoch} / ${f.epochs}` : String(f.epoch), num: true },
      { text: f.totalSteps !== null ? `${f.steps} / ${f.totalSteps}` : String(f.steps), num: true },
      { text: durationText(f.seconds), num: true },
      { text: f.base ?? dash },
      { text: f.loraRank !== null ? String(f.loraRank) : f.tune === 'full' ? 'none (full)' : dash, num: f.loraRank !== null },
      { text: f.lr === null ? dash : f.lr.toExponential(1), num: true },
      { text: f.batch === null ? dash : String(f.batch), num: true },
      { text: f.dataset ?? dash },
    ];
  });
}
