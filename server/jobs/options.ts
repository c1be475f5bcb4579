// @pure: the defaults and option tables of the jobs: the CLI's options, the server's parameter
// checks and the extension's settings derive from them, and a test checks the Python trainer's
// argument parser and TrainConfig against TRAIN_OPTIONS. The split's, the build's and the
// sample's defaults belong to the engine that fills them in, and are re-exported here.
import type { Split } from '../dataset/types';
import type { CandidateMode } from '../eval/candidates';

export { SPLIT_DEFAULTS, SPLIT_MODES } from '../masks/splitDefaults';
export { BUILD_DEFAULTS, DESCRIBE_MODES } from '../dataset/buildDefaults';
export { SAMPLE_DEFAULTS, SAMPLE_LIMITS } from '../sample/defaults';

/** An evaluation: the test split against every description of the dataset. */
export const EVAL_DEFAULTS = {
  split: 'test' as Split,
  candidates: 'all' as CandidateMode,
  topK: 5,
  gallery: 12,
  batch: 32,
} as const;

export const MODEL_SIZES = ['tiny', 'ViT-B/16', 'ViT-L/14', 'ViT-L/14@336px'] as const;

/** How a trainer option's value is checked: integers of at least 1 or 0, any finite number, a choice, a flag. */
export type OptionKind = 'positiveInteger' | 'count' | 'number' | 'choice' | 'boolean';

export interface TrainOptionSpec {
  /** The name in TrainOptions (camelCase). */
  key: string;
  /** The trainer's (and the CLI's) flag; a boolean that defaults to true is turned off with --no-<flag>. */
  flag: string;
  kind: OptionKind;
  choices?: readonly string[];
  /** The trainer's default (TrainConfig); undefined when it depends on other options (e.g. the lr by tuning mode). */
  default?: string | number | boolean;
  help: string;
}

/** The trainer's options, passed to `python -m anomaly_lens train` only when given (the trainer applies these defaults). */
export const TRAIN_OPTIONS: readonly TrainOptionSpec[] = [
  { key: 'base', flag: '--base', kind: 'choice', choices: MODEL_SIZES, help: 'model size when training from scratch (default tiny)' },
  { key: 'initTrusted', flag: '--init-trusted', kind: 'boolean', default: false, help: '--init may be read as a full Python pickle (a training checkpoint or run folder), which can run any code: only for files you trust' },
  { key: 'tune', flag: '--tune', kind: 'choice', choices: ['lora', 'full'], help: 'lora (default with --init) or full (default from scratch)' },
  { key: 'epochs', flag: '--epochs', kind: 'positiveInteger', default: 10, help: 'epochs' },
  { key: 'maxSteps', flag: '--max-steps', kind: 'positiveInteger', help: 'end the schedule after this many steps' },
  { key: 'batch', flag: '--batch', kind: 'positiveInteger', default: 64, help: 'global training batch' },
  { key: 'evalBatch', flag: '--eval-batch', kind: 'positiveInteger', default: 256, help: 'evaluation batch' },
  { key: 'lr', flag: '--lr', kind: 'number', help: 'learning rate of the LoRA adapters (default 1e-4) or of the visual tower (from scratch 5e-4)' },
  { key: 'lrAlphaConv', flag: '--lr-alpha-conv', kind: 'number', help: 'conv1_alpha learning rate (default 1e-4; from scratch: --lr)' },
  { key: 'lrConv', flag: '--lr-conv', kind: 'number', help: 'conv1 learning rate (default 1e-6; from scratch: --lr)' },
  { key: 'weightDecay', flag: '--weight-decay', kind: 'number', default: 1e-4, help: 'AdamW weight decay' },
  { key: 'loraR', flag: '--lora-r', kind: 'positiveInteger', default: 64, help: 'LoRA rank' },
  { key: 'loraAlpha', flag: '--lora-alpha', kind: 'number', default: 64, help: 'LoRA alpha' },
  { key: 'loraDropout', flag: '--lora-dropout', kind: 'number', default: 0.1, help: 'LoRA dropout' },
  { key: 'temperature', flag: '--temperature', kind: 'number', default: 0.07, help: 'supervised contrastive temperature' },
  { key: 'schedule', flag: '--schedule', kind: 'choice', choices: ['constant', 'cosine'], default: 'constant', help: 'learning-rate schedule' },
  { key: 'warmupSteps', flag: '--warmup-steps', kind: 'count', default: 0, help: 'linear warmup steps' },
  { key: 'alpha', flag: '--alpha', kind: 'boolean', default: true, help: 'use the region mask (--no-alpha: the whole-image variant)' },
  { key: 'seed', flag: '--seed', kind: 'count', default: 0, help: 'random seed' },
  { key: 'device', flag: '--device', kind: 'choice', choices: ['auto', 'cpu', 'cuda'], default: 'auto', help: 'auto: CUDA when PyTorch sees a GPU' },
  { key: 'amp', flag: '--amp', kind: 'choice', choices: ['auto', 'off', 'fp16', 'bf16'], default: 'auto', help: 'mixed precision on CUDA (auto: bf16 where supported)' },
  { key: 'workers', flag: '--workers', kind: 'count', help: 'decoding threads / data-loader processes (default: up to 8)' },
  { key: 'cacheMb', flag: '--cache-mb', kind: 'count', default: 4096, help: 'keep decoded samples in memory up to this size' },
  { key: 'checkpointEvery', flag: '--checkpoint-every', kind: 'count', default: 0, help: 'also checkpoint every n steps (0: at epoch ends)' },
  { key: 'keepCheckpoints', flag: '--keep-checkpoints', kind: 'count', default: 3, help: 'step checkpoints kept (0 keeps all)' },
  { key: 'stopAt', flag: '--stop-at', kind: 'positiveInteger', help: 'stop cleanly after this step (resumable)' },
  { key: 'export', flag: '--export', kind: 'boolean', default: true, help: 'export RUN/bundle at the end (--no-export: do not)' },
  { key: 'gradCheckpointing', flag: '--grad-checkpointing', kind: 'boolean', default: false, help: 'recompute activations in the backward pass (less GPU memory)' },
];

/** The default of a trainer option, as the help texts show it. */
export function trainDefault(key: string): string | number | boolean | undefined {
  return TRAIN_OPTIONS.find((o) => o.key === key)?.default;
}

/** The trainer's command-line arguments for the options given (absent ones take the trainer's defaults). */
export function trainOptionArgs(options: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const spec of TRAIN_OPTIONS) {
    const value = options[spec.key];
    if (value === undefined) continue;
    if (spec.kind === 'boolean') {
      if (value === !spec.default) args.push(value ? spec.flag : spec.flag.replace(/^--/, '--no-'));
    } else args.push(spec.flag, String(value));
  }
  return args;
}
