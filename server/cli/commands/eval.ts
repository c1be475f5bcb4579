import { type Command, Option } from 'commander';
import type { Split } from '../../dataset/types';
import { CANDIDATE_MODES, type CandidateMode, calibrationLine, paperTables } from '../../eval';
import { evaluateToReport } from '../../jobs/evaluate';
import { SPLITS } from '../../dataset/manifestText';
import { EVAL_DEFAULTS } from '../../jobs/options';
import { setMaxPixels } from '../../image/pixelLimit';
import { maxPixelsOption } from '../maxPixelsOption';
import { createProgress } from '../progress';
import { nonNegativeInteger, numberIn, positiveInteger } from '../options';
import { JOBS } from '../../jobs/jobTable';

interface EvalOptions {
  maxPixels?: number;
  dataset: string;
  split: Split;
  bundle?: string;
  baseline?: string;
  candidates: CandidateMode;
  top: number;
  uncertainBelow?: number;
  gallery: number;
  out: string;
  json?: boolean;
  threads?: number;
  batch: number;
}

export function register(program: Command): void {
  program
    .command(JOBS.evaluate.command)
    .description('Evaluate a model bundle (and a baseline) on a dataset split: accuracy by number of regions and by object (paper Tables 4 and 5), per defect class, top-k, confusions, mask following, calibration (ECE and reliability diagram); writes report.json, report.md and report.html.')
    .requiredOption('--dataset <dir>', 'dataset folder (as `anomaly-lens build` writes it)')
    .addOption(new Option('--split <split>', 'the split to evaluate').choices(SPLITS).default(EVAL_DEFAULTS.split))
    .option('--bundle <dir>', 'the model bundle to evaluate (default: the embedded default model)')
    .option('--baseline <dir>', 'a baseline bundle to compare with (e.g. the original AlphaCLIP)')
    .addOption(new Option('--candidates <set>', 'rank against every description of the dataset, or those of the image\'s object').choices(CANDIDATE_MODES).default(EVAL_DEFAULTS.candidates))
    .option('--top <k>', 'top-k accuracies up to k', positiveInteger, EVAL_DEFAULTS.topK)
    .option('--uncertain-below <p>', "answers less probable than this (0 to 1) count as uncertain in the calibration section (default: the bundle's calibrated threshold, else 0.5)", numberIn(0, 1))
    .option('--gallery <n>', 'regions in the HTML report\'s qualitative gallery', nonNegativeInteger, EVAL_DEFAULTS.gallery)
    .requiredOption('--out <dir>', 'report folder (report.json, report.md, report.html)')
    .option('--threads <n>', 'onnxruntime threads', positiveInteger)
    .option('--batch <n>', 'regions per image-encoder run', positiveInteger, EVAL_DEFAULTS.batch)
    .option('--json', 'print a JSON summary instead of the tables')
    .addOption(maxPixelsOption())
    .action(async (options: EvalOptions, command: Command) => {
      setMaxPixels(options.maxPixels);
      const { evaluation, files, warnings } = await evaluateToReport(
        {
          dataset: options.dataset,
          split: options.split,
          bundle: options.bundle,
          baseline: options.baseline,
          candidates: options.candidates,
          topK: options.top,
          ...(options.uncertainBelow !== undefined ? { uncertainBelow: options.uncertainBelow } : {}),
          gallery: options.gallery,
          threads: options.threads,
          batch: options.batch,
          out: options.out,
          outLabel: '--out',
          version: command.parent?.version() ?? '0.0.0',
        },
        { progress: createProgress({ enabled: !options.json }), warn: (message) => process.stderr.write(`anomaly-lens: warning: ${message}\n`) },
      );
      const { metrics, problems, inputs, skipped, timing } = evaluation;
      if (options.json) {
        const { confusion: _confusion, ...summary } = metrics;
        process.stdout.write(`${JSON.stringify({ files, inputs, skipped, timing, metrics: summary, problems, warnings }, null, 2)}\n`);
      } else {
        for (const p of problems) process.stderr.write(`${p.severity}: ${p.file}: ${p.message}\n`);
        process.stdout.write(`${paperTables(evaluation)}\n\n`);
        const calibration = calibrationLine(evaluation);
        if (calibration) process.stdout.write(`${calibration}\n`);
        process.stdout.write(`${metrics.regions} regions of ${metrics.images} images in ${timing.seconds.toFixed(1)} s (${timing.regionsPerSecond.toFixed(1)} regions/s)`);
        process.stdout.write(skipped.regions || skipped.images ? `; ${skipped.images} images (${skipped.regions} regions) skipped\n` : '\n');
        process.stdout.write(`report: ${files.markdown}, ${files.html}, ${files.json}\n`);
      }
      if (problems.some((p) => p.severity === 'error')) process.exitCode = 1;
    });
}
