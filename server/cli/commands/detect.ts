import { Command } from 'commander';
import { detectAnomalies, DETECTIONS_FILE, type DetectResult } from '../../detect/detect';
import { loadDetector } from '../../detect/loadDetector';
import { setMaxPixels } from '../../image/pixelLimit';
import { Predictor } from '../../model';
import { defaultBundleDir } from '../../model/defaultBundle';
import type { Problem } from '../../util/errors';
import { checkOutputFolder } from '../../util/outputPath';
import { maxPixelsOption } from '../maxPixelsOption';
import { positiveInteger } from '../options';
import { createProgress } from '../progress';

const line = (p: Problem) => `${p.severity}: ${p.file}: ${p.message}`;

function summary(result: DetectResult): string {
  const found = result.detections.filter((d) => d.anomalous);
  const regions = found.reduce((sum, d) => sum + d.regions.length, 0);
  const perImage = result.detections.length > 0 ? (result.seconds * 1000) / result.detections.length : 0;
  const lines = [
    `detections written to ${result.out} (${DETECTIONS_FILE}) in ${result.seconds.toFixed(1)} s, ${perImage.toFixed(0)} ms per image`,
    `  ${result.detections.length} images: ${found.length} with anomalies (${regions} regions), ${result.detections.length - found.length} without`,
  ];
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  if (result.problems.length > 0) lines.push(`  ${errors} error(s), ${result.problems.length - errors} warning(s), listed on stderr`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('detect')
    .description('Find anomalies without masks: the anomaly map of each image from a fitted detector, its regions split with DBSCAN and described; writes an MVTec AD-layout folder that build reads, and detections.jsonl.')
    .argument('<input>', "a source dataset folder (its test split) or a folder of images")
    .requiredOption('--detector <dir>', 'detector folder written by fit-detector')
    .requiredOption('-o, --out <dir>', 'output folder (new, empty, or an earlier detection output)')
    .option('--bundle <dir>', "model bundle (default: the embedded default model); must be the detector's")
    .option('--object <name>', "the object a folder of images shows (default: the detector's only object)")
    .option('--top <k>', 'descriptions kept per region', positiveInteger, 5)
    .option('--threads <n>', 'onnxruntime threads', positiveInteger)
    .option('--json', 'print one JSON result object')
    .addOption(maxPixelsOption())
    .action(async (input: string, opts: { detector: string; out: string; bundle?: string; object?: string; top: number; threads?: number; json?: boolean; maxPixels?: number }) => {
      setMaxPixels(opts.maxPixels);
      checkOutputFolder(opts.out);
      const bundle = opts.bundle ?? defaultBundleDir();
      const detector = await loadDetector(opts.detector, bundle);
      for (const message of detector.changed) process.stderr.write(`anomaly-lens: warning: ${message}\n`);
      const predictor = await Predictor.open(bundle, { intraOpNumThreads: opts.threads, warn: (m) => process.stderr.write(`anomaly-lens: warning: ${m}\n`) });
      const progress = createProgress({ enabled: !opts.json });
      let result: DetectResult;
      try {
        result = await detectAnomalies(detector, predictor, { input, out: opts.out, object: opts.object, topK: opts.top }, { onStart: (total) => progress.start(total, 'detecting'), onImage: () => progress.tick() });
      } finally {
        progress.stop();
        await predictor.close();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ out: result.out, seconds: result.seconds, images: result.detections.length, anomalous: result.detections.filter((d) => d.anomalous).length, problems: result.problems, changedNormals: detector.changed }, null, 2)}\n`);
      else {
        for (const p of result.problems) process.stderr.write(`${line(p)}\n`);
        process.stdout.write(summary(result));
      }
      if (result.problems.some((p) => p.severity === 'error')) process.exitCode = 1;
    });
}
