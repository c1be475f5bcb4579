import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildDataset } from '../../dataset/build';
import { statsMarkdown } from '../../dataset/stats';
import { calibrationLine, evaluate, paperTables, writeReport } from '../../eval';
import { BUNDLE_MANIFEST } from '../../model/bundle';
import { defaultBundlePath } from '../../model/defaultBundle';
import { generateSample } from '../../sample/generate';
import { SAMPLE_DEFAULTS, SAMPLE_LIMITS } from '../../sample/defaults';
import { checkOutputFolder } from '../../util/outputPath';
import { integerAtLeast, numberIn } from '../options';
import { createProgress } from '../progress';

interface DemoOptions {
  out: string;
  seed: number;
  scale: number;
  bundle?: string;
  baseline?: string;
}

/** The whole-image variant of the default model, shipped beside it as the baseline. */
export function defaultBaselinePath(): string {
  return `${defaultBundlePath()}-whole-image`;
}

const hasBundle = (dir: string): boolean => existsSync(join(dir, BUNDLE_MANIFEST));

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'The main job on the embedded default: generate the sample dataset, build its region-level dataset (printing paper Tables 1 and 2), and evaluate the default model against its whole-image variant (printing paper Tables 4 and 5, writing the HTML report).',
    )
    .option('--out <dir>', 'working folder (sample/, dataset/, report/)', '.cache/demo')
    .option('--seed <s>', 'sample seed (the default model was trained on the default seed)', integerAtLeast(0, SAMPLE_LIMITS.maxSeed), SAMPLE_DEFAULTS.seed)
    .option('--scale <x>', 'multiplier on the sample image counts', numberIn(0, SAMPLE_LIMITS.maxScale, { minExclusive: true }), SAMPLE_DEFAULTS.scale)
    .option('--bundle <dir>', 'model bundle to evaluate (default: the embedded default model)')
    .option('--baseline <dir>', 'baseline bundle (default: the embedded whole-image variant)')
    .action(async (options: DemoOptions, command: Command) => {
      checkOutputFolder(options.out, '--out');
      const out = resolve(options.out);
      const say = (line: string) => process.stdout.write(`${line}\n`);

      const progress = createProgress();
      say(`1/3 sample dataset → ${join(out, 'sample')}`);
      progress.start(0, 'drawing');
      const sample = await generateSample(
        join(out, 'sample'),
        { seed: options.seed, scale: options.scale },
        { onStart: (total) => progress.start(total, 'drawing'), onImage: () => progress.tick() },
      );
      progress.stop();
      say(`    ${sample.manifest.counts.synthetic.anomalous} synthetic and ${sample.manifest.counts.mvtec.anomalous} test images in ${sample.seconds.toFixed(1)} s`);

      say(`2/3 region-level dataset → ${join(out, 'dataset')}`);
      const built = await buildDataset({
        sources: [{ root: join(out, 'sample', 'synthetic') }, { root: join(out, 'sample', 'mvtec') }],
        out: join(out, 'dataset'),
        progress: createProgress(),
      });
      say(`    ${built.images.total} images, ${built.counts.train.regions + built.counts.val.regions + built.counts.test.regions} regions in ${built.seconds.toFixed(1)} s (${built.imagesPerSecond.toFixed(0)} images/s)\n`);
      say(statsMarkdown(built.stats));

      const bundle = options.bundle ? resolve(options.bundle) : defaultBundlePath();
      const baseline = options.baseline ? resolve(options.baseline) : defaultBaselinePath();
      if (!hasBundle(bundle)) {
        say(`3/3 evaluation skipped: no model bundle at ${bundle}`);
        return;
      }
      say(`3/3 evaluation of ${bundle}${hasBundle(baseline) ? ` against ${baseline}` : ''}`);
      const evaluation = await evaluate({
        dataset: join(out, 'dataset'),
        split: 'test',
        bundle,
        baseline: hasBundle(baseline) ? baseline : undefined,
        candidates: 'all',
        topK: 5,
        progress: createProgress(),
        warn: (message) => process.stderr.write(`anomaly-lens: warning: ${message}\n`),
      });
      const files = await writeReport(evaluation, join(out, 'report'), { gallery: 12, version: command.parent?.version() ?? '0.0.0' });
      say(`\n${paperTables(evaluation)}\n`);
      const calibration = calibrationLine(evaluation);
      if (calibration) say(calibration);
      const m = evaluation.metrics;
      say(`${m.regions} regions of ${m.images} images in ${evaluation.timing.seconds.toFixed(1)} s; report: ${files.html}`);
    });
}
