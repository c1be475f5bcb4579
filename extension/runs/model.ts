// What the Runs view shows: training runs (run folders on disk: run.json, checkpoints, the
// exported bundle) and evaluation reports, merged with the live job list by the folder each job
// writes; jobs with no folder on disk yet are runs of their own. Pure.
import type { JobInfo, JobState } from '../client/methods';
import { percent, samePath } from '../models/model';
import type { NodePresentation } from '../views/presentation';

export type RunStatus = JobState | 'stopped' | 'incomplete';

/** A training run folder as read from disk. */
export interface DiskTrainRun {
  kind: 'train';
  folder: string;
  name: string;
  dataset?: string;
  base?: string;
  epochs?: number;
  hasCheckpoint: boolean;
  /** RUN/best.pt: the run reached an epoch end (and validated, when it has a val split). */
  hasBest?: boolean;
  /** The exported bundle, when there is one. */
  bundle?: string;
  metrics?: { valAccuracy?: number; bestEpoch?: number; steps?: number };
}

export interface DiskReport {
  kind: 'evaluate';
  folder: string;
  name: string;
  createdAt?: string;
  hasHtml: boolean;
}

export type DiskRun = DiskTrainRun | DiskReport;

export interface RunEntry {
  folder?: string;
  name: string;
  kind: 'train' | 'evaluate' | JobInfo['kind'];
  status: RunStatus;
  disk?: DiskRun;
  job?: JobInfo;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A run folder from its run.json (the trainer's) and what else lies in it. */
export function parseRun(
  folder: string,
  name: string,
  runJson: string,
  files: { hasCheckpoint: boolean; hasBest?: boolean; bundle?: string; bundleJson?: string },
): DiskTrainRun {
  let info: Json | undefined;
  try {
    info = obj(JSON.parse(runJson));
  } catch {
    info = undefined;
  }
  const config = obj(info?.config);
  let metrics: DiskTrainRun['metrics'];
  if (files.bundleJson) {
    try {
      const m = obj(obj(obj(JSON.parse(files.bundleJson))?.provenance)?.metrics);
      if (m) metrics = { valAccuracy: numberOr(m.valAccuracy), bestEpoch: numberOr(m.bestEpoch), steps: numberOr(m.steps) };
    } catch {
      metrics = undefined;
    }
  }
  return {
    kind: 'train',
    folder,
    name,
    dataset: typeof config?.dataset === 'string' ? config.dataset : undefined,
    base: typeof config?.base === 'string' ? config.base : typeof obj(info?.model)?.size === 'string' ? (obj(info?.model)?.size as string) : undefined,
    epochs: numberOr(config?.epochs),
    hasCheckpoint: files.hasCheckpoint,
    hasBest: files.hasBest ?? false,
    bundle: files.bundle,
    metrics,
  };
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function diskStatus(run: DiskRun): RunStatus {
  if (run.kind === 'evaluate') return 'finished';
  if (run.bundle) return 'finished';
  return run.hasCheckpoint ? 'stopped' : 'incomplete';
}

const RUN_KINDS = new Set<JobInfo['kind']>(['train', 'evaluate', 'export', 'importWeights']);

/**
 * Disk runs with the newest job writing each folder; jobs of the run kinds (train, evaluate,
 * export, import) with no folder on disk, and every active job, as entries of their own. A
 * folder is one entry however many jobs wrote it (a resumed run is a new job on the same
 * folder): the newest job stands for it. Active entries first, then by name.
 */
export function mergeRuns(disk: DiskRun[], jobs: JobInfo[]): RunEntry[] {
  const newestFirst = [...jobs].sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
  const folders: string[] = [];
  const entries: RunEntry[] = [];
  for (const run of disk) {
    if (folders.some((f) => samePath(f, run.folder))) continue;
    folders.push(run.folder);
    const job = newestFirst.find((j) => j.output !== undefined && samePath(j.output, run.folder));
    const status = job && (job.state !== 'finished' || diskStatus(run) === 'finished') ? job.state : diskStatus(run);
    entries.push({ folder: run.folder, name: run.name, kind: run.kind, status, disk: run, job });
  }
  for (const job of newestFirst) {
    if (job.output !== undefined && folders.some((f) => samePath(f, job.output as string))) continue;
    if (!RUN_KINDS.has(job.kind) && job.state !== 'queued' && job.state !== 'running') continue;
    if (job.output !== undefined) folders.push(job.output);
    entries.push({ folder: job.output, name: job.title, kind: job.kind, status: job.state, job });
  }
  const active = (e: RunEntry) => (e.status === 'running' || e.status === 'queued' ? 0 : 1);
  return entries.sort((a, b) => active(a) - active(b) || a.name.localeCompare(b.name));
}

const ICONS: Record<RunStatus, string> = {
  queued: 'clock',
  running: 'sync~spin',
  finished: 'pass',
  failed: 'error',
  cancelled: 'circle-slash',
  stopped: 'debug-pause',
  incomplete: 'circle-large-outline',
};

/** A run has no children. */
export type RunPresentation = Omit<NodePresentation, 'id' | 'collapsible' | 'description'> & { id: string; description: string };

/** "epoch 2 · step 40 · best val 81.2%" from the live event or the exported bundle's metrics. */
export function runProgress(entry: RunEntry): string | undefined {
  const parts: string[] = [];
  const event = entry.job?.lastEvent;
  if (event && (event.type === 'step' || event.type === 'eval')) {
    parts.push(`epoch ${event.epoch}`, `step ${event.step}`);
    if (event.type === 'eval' && event.val_accuracy !== null) parts.push(`val ${percent(event.val_accuracy)}`);
  } else if (entry.job?.progress && entry.job.progress.total > 0 && (entry.status === 'running' || entry.status === 'queued')) {
    parts.push(`${Math.floor((100 * entry.job.progress.done) / entry.job.progress.total)}%`);
  }
  const metrics = entry.disk?.kind === 'train' ? entry.disk.metrics : undefined;
  if (metrics?.valAccuracy !== undefined) parts.push(`best val ${percent(metrics.valAccuracy)}${metrics.bestEpoch !== undefined ? ` (epoch ${metrics.bestEpoch})` : ''}`);
  return parts.length ? parts.join(' · ') : undefined;
}

export function presentRun(entry: RunEntry): RunPresentation {
  const progress = runProgress(entry);
  const flags = [
    entry.kind === 'train' || entry.kind === 'evaluate' ? entry.kind : 'job',
    entry.status === 'running' || entry.status === 'queued' ? 'active' : 'ended',
    entry.kind === 'train' && entry.disk?.kind === 'train' && entry.disk.hasCheckpoint ? 'checkpoint' : undefined,
    entry.kind === 'train' && entry.status !== 'running' && entry.status !== 'queued' && entry.disk?.kind === 'train' && !entry.disk.bundle && entry.disk.hasCheckpoint ? 'resumable' : undefined,
    entry.kind === 'train' && entry.disk?.kind === 'train' && entry.disk.hasBest ? 'validated' : undefined,
  ].filter(Boolean);
  const tooltip = [
    entry.folder,
    entry.job?.title,
    `status: ${entry.status}`,
    entry.disk?.kind === 'train' && entry.disk.dataset ? `dataset: ${entry.disk.dataset}` : undefined,
    entry.job?.error ? `error: ${entry.job.error.message}` : undefined,
  ].filter(Boolean);
  return {
    id: entry.folder ?? entry.job?.id ?? entry.name,
    label: entry.name,
    description: [entry.status, progress].filter(Boolean).join(' · '),
    tooltip: tooltip.join('\n'),
    contextValue: `anomalyLens.run ${flags.join(' ')}`,
    icon: ICONS[entry.status],
  };
}
