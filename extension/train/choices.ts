// Train Model's choices (remembered per workspace) and the trainer options they become. Pure.
import { MODEL_SIZES } from '../../server/jobs/options';
import type { TrainOptions } from '../../server/rpc/protocol';
import { deviceChoice } from '../settings/settings';

export const BASES: readonly NonNullable<TrainOptions['base']>[] = MODEL_SIZES;

export interface TrainChoices {
  dataset?: string;
  base?: TrainOptions['base'];
  /** A bundle (or run, or checkpoint) to continue from. */
  init?: string;
  epochs?: number;
  batch?: number;
  /** 0: fine-tune every weight; undefined: the trainer's default (LoRA from a bundle, full from scratch). */
  loraRank?: number;
  /** The device setting's form: auto, cpu, cuda, cuda:N. */
  device?: string;
}

/** The trainer's options from the choices. */
export function trainOptions(c: TrainChoices, maxSteps?: number): TrainOptions {
  const device = c.device ? deviceChoice(c.device).device : undefined;
  return {
    ...(c.base && !c.init ? { base: c.base } : {}),
    ...(c.epochs !== undefined ? { epochs: c.epochs } : {}),
    ...(c.batch !== undefined ? { batch: c.batch } : {}),
    ...(c.loraRank !== undefined ? (c.loraRank > 0 ? { tune: 'lora' as const, loraR: c.loraRank } : { tune: 'full' as const }) : {}),
    ...(device ? { device } : {}),
    ...(maxSteps !== undefined ? { maxSteps } : {}),
  };
}

/** The run folder's name: <dataset>-<base>, or <dataset>-continued. */
export function runFolderName(dataset: string, c: TrainChoices): string {
  const base = c.init ? 'continued' : (c.base ?? 'tiny');
  return `${dataset.split(/[/\\]/).filter(Boolean).pop() ?? 'run'}-${base.replace(/[^\w.-]+/g, '-')}`;
}
