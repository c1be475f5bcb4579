import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SAMPLE_OBJECTS } from '../../sample/catalog';
import { generateSample, type GenerateResult } from '../../sample/generate';
import { SAMPLE_DEFAULTS, SAMPLE_LIMITS } from '../../sample/defaults';
import { BASE_COUNTS, MAX_REGIONS } from '../../sample/plan';
import { checkOutputFolder } from '../../util/outputPath';
import { integerAtLeast, maxWorkers, numberIn, workersOption } from '../options';
import { createProgress } from '../progress';
import { JOBS } from '../../jobs/jobTable';

const integerIn = integerAtLeast;
const parseScale = numberIn(0, SAMPLE_LIMITS.maxScale, { minExclusive: true });

interface SampleCommandOptions {
  seed: number;
  scale: number;
  size: number;
  workers?: number;
  json?: boolean;
}

function perObject(result: GenerateResult, layout: 'synthetic' | 'mvtec', object: string): string {
  const folders = result.manifest.folders.filter((f) => f.layout === layout && f.object === object);
  const parts = new Map<string, number>();
  for (const f of folders) {
    const name = f.split ? `${f.split}/${f.folder}` : f.folder;
    parts.set(name, (parts.get(name) ?? 0) + f.images);
  }
  const total = folders.reduce((s, f) => s + f.images, 0);
  return `    ${object.padEnd(12)} ${String(total).padStart(5)} images: ${[...parts].map(([n, c]) => `${n} ${c}`).join(', ')}`;
}

function summary(result: GenerateResult): string {
  const { manifest } = result;
  const lines = [`sample dataset written to ${result.out} (seed ${manifest.seed}, scale ${manifest.scale}, ${manifest.size}×${manifest.size}) in ${result.seconds.toFixed(1)} s`];
  for (const layout of ['synthetic', 'mvtec'] as const) {
    const c = manifest.counts[layout];
    const info = manifest.layouts[layout];
    lines.push(`  ${info.dir}/ (${info.kind} layout, ${info.role} source): ${c.anomalous} anomalous${c.good ? ` + ${c.good} good` : ''} images, ${c.regions} regions, ${c.combined} multi-type (combined)`);
    for (const object of SAMPLE_OBJECTS) lines.push(perObject(result, layout, object.name));
    const histogram = Array.from({ length: MAX_REGIONS }, (_, i) => `${i + 1}: ${c.byRegionCount[String(i + 1)]}`).join('  ');
    lines.push(`    regions per image  ${histogram}`);
    lines.push(`    regions per defect ${Object.entries(c.regionsByDefect).map(([d, n]) => `${d} ${n}`).join(', ')}`);
  }
  if (result.removed > 0) lines.push(`  ${result.removed} file(s) of the earlier sample output removed`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command(JOBS.createSample.command)
    .description(
      `Write a small procedurally drawn anomaly dataset: synthetic/ in the AnomalyDiffusion layout (train+val source) and mvtec/ in the MVTec AD layout (test source), ${SAMPLE_OBJECTS.length} objects, 1–${MAX_REGIONS} separate defect regions per image, class-id masks with class_ids.json. The same seed gives byte-identical files.`,
    )
    .argument('<out>', 'output folder: new, empty, or an earlier sample output (only the files its sample.json lists are replaced)')
    .option('--seed <s>', 'random seed', integerIn(0, SAMPLE_LIMITS.maxSeed), SAMPLE_DEFAULTS.seed)
    .option('--scale <x>', `multiplier on the image counts (1 = ${BASE_COUNTS.synthetic} synthetic and ${BASE_COUNTS.mvtecTest} anomalous test images per object)`, parseScale, SAMPLE_DEFAULTS.scale)
    .option('--size <px>', 'image width and height', integerIn(SAMPLE_LIMITS.minSize, SAMPLE_LIMITS.maxSize), SAMPLE_DEFAULTS.size)
    .option('--workers <n>', `worker threads, 1 to ${maxWorkers()} (default: one per core for large outputs)`, workersOption())
    .option('--json', 'print one JSON result object')
    .action(async (out: string, opts: SampleCommandOptions) => {
      checkOutputFolder(out);
      const progress = createProgress({ enabled: !opts.json });
      let result: GenerateResult;
      try {
        result = await generateSample(
          resolve(out),
          { seed: opts.seed, scale: opts.scale, size: opts.size, ...(opts.workers !== undefined ? { workers: opts.workers } : {}) },
          { onStart: (total) => progress.start(total, 'drawing'), onImage: () => progress.tick() },
        );
      } finally {
        progress.stop();
      }
      if (opts.json) {
        const { manifest } = result;
        const json = { out: result.out, seed: manifest.seed, scale: manifest.scale, size: manifest.size, seconds: result.seconds, workers: result.workers, removed: result.removed, objects: manifest.objects, counts: manifest.counts, folders: manifest.folders };
        process.stdout.write(`${JSON.stringify(json)}\n`);
      } else process.stdout.write(summary(result));
    });
}
