// Writing the sample dataset: plan, then draw, encode and write every image (on worker
// threads when there are enough images to be worth them), then class_ids.json and sample.json.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTaskPool, findWorkerScript } from '../dataset/workerPool';
import { writeFileAtomic } from '../util/atomicWrite';
import { classIdsJson, SAMPLE_OBJECTS } from './catalog';
import { SAMPLE_DEFAULTS } from './defaults';
import { classIdsPath, MANIFEST_FILE } from './layout';
import { buildManifest, manifestText, ownedFiles, type SampleManifest } from './manifest';
import { inspectOutput, removeStale } from './output';
import { planSample, type PlannedImage, type SampleOptions } from './plan';
import { writeSampleImage, type ImageTask } from './writeImage';

/** Below this many images, starting worker threads costs more than it saves. */
const MIN_IMAGES_FOR_WORKERS = 300;
const MAX_WORKERS = 8;

/** What to write; an option left out takes its default (defaults.ts). */
export interface GenerateOptions extends Partial<SampleOptions> {
  /** Worker threads; default: one per core for large outputs, none for small ones. */
  workers?: number;
}

export interface GenerateResult {
  out: string;
  manifest: SampleManifest;
  /** Files of an earlier sample output that this one no longer has. */
  removed: number;
  workers: number;
  seconds: number;
}

export interface GenerateHooks {
  /** Called once with the number of images, then after each image is written. */
  onStart?(total: number): void;
  onImage?(): void;
}

function taskOf(out: string, size: number, image: PlannedImage): ImageTask {
  return {
    out,
    size,
    ref: { layout: image.layout, object: image.object.name, ...(image.split ? { split: image.split } : {}), folder: image.folder },
    index: image.index,
    defects: image.defects,
    seed: image.seed,
  };
}

function defaultWorkers(images: number): number {
  return images < MIN_IMAGES_FOR_WORKERS ? 0 : Math.min(MAX_WORKERS, availableParallelism());
}

/** Writes the sample dataset into `out` (see output.ts for which folders are accepted). */
export async function generateSample(out: string, input: GenerateOptions, hooks: GenerateHooks = {}): Promise<GenerateResult> {
  const started = performance.now();
  const options: SampleOptions & GenerateOptions = {
    ...input,
    seed: input.seed ?? SAMPLE_DEFAULTS.seed,
    scale: input.scale ?? SAMPLE_DEFAULTS.scale,
    size: input.size ?? SAMPLE_DEFAULTS.size,
  };
  const { previous } = await inspectOutput(out);
  const plan = planSample(options);
  const manifest = buildManifest(options, plan, true);
  const removed = await removeStale(out, previous, new Set(ownedFiles(manifest)));
  await writeFileAtomic(join(out, MANIFEST_FILE), manifestText({ ...manifest, complete: false }));

  hooks.onStart?.(plan.length);
  const pool = createTaskPool<ImageTask, void>({
    workers: options.workers ?? defaultWorkers(plan.length),
    script: findWorkerScript(__dirname, 'sample-worker', 'worker'),
    inline: writeSampleImage,
    perWorker: 4,
  });
  try {
    await Promise.all(plan.map((image) => pool.run(taskOf(out, options.size, image)).then(() => hooks.onImage?.())));
  } finally {
    await pool.close();
  }

  for (const object of SAMPLE_OBJECTS) {
    for (const layout of ['synthetic', 'mvtec'] as const) await writeFileAtomic(join(out, classIdsPath(layout, object.name)), classIdsJson(object));
  }
  await writeFileAtomic(join(out, MANIFEST_FILE), manifestText(manifest));
  return { out, manifest, removed, workers: pool.size, seconds: (performance.now() - started) / 1000 };
}
