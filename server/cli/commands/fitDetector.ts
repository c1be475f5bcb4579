import { Command, Option } from 'commander';
import { DETECTOR_DEFAULTS } from '../../detect/defaults';
import { fitDetector, type FitResult } from '../../detect/fit';
import { defaultBundleDir } from '../../model/defaultBundle';
import { setMaxPixels } from '../../image/pixelLimit';
import type { Problem } from '../../util/errors';
import { checkOutputFolder } from '../../util/outputPath';
import { maxPixelsOption } from '../maxPixelsOption';
import { nonNegativeInteger, nonNegativeNumber, numberIn, positiveInteger } from '../options';
import { createProgress } from '../progress';

const line = (p: Problem) => `${p.severity}: ${p.file}: ${p.message}`;

function summary(result: FitResult): string {
  const { manifest } = result;
  const lines = [`detector written to ${result.out} in ${result.seconds.toFixed(1)} s (bundle digest ${manifest.bundle.digest.slice(0, 12)}…)`];
  for (const o of manifest.objects) {
    const bank = o.normals.filter((n) => n.use === 'bank').length;
    const rows = o.banks.map((b) => `${b.rows} of ${b.patches}`).join(' + ');
    lines.push(
      `  ${o.name.padEnd(12)} ${bank} normal images in the bank (${rows} patches kept), ${o.calibration.images} held out: threshold ${o.threshold.toFixed(4)} (false-positive rate ${(o.calibration.measuredFpr * 100).toFixed(3)} % of their pixels)`,
    );
  }
  if (result.problems.length > 0) lines.push(`  ${result.problems.length} problem(s), listed on stderr`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('fit-detector')
    .description("Fit an anomaly detector on a dataset's normal images (each object's good images: MVTec's train/good): a memory bank of patch features per object and a threshold calibrated on held-out normal images.")
    .argument('<source>', 'source dataset folder, in any layout build reads')
    .requiredOption('-o, --out <dir>', 'detector folder to write (new, empty, or an earlier detector, which is replaced)')
    .option('--bundle <dir>', 'model bundle the detections are described with (default: the embedded default model)')
    .option('--fpr <rate>', 'false-positive rate the threshold allows on held-out normal pixels', numberIn(0, 0.5, { minExclusive: true }), DETECTOR_DEFAULTS.fpr)
    .option('--coreset <ratio>', 'share of the normal patches kept in the memory bank (k-center greedy)', numberIn(0, 1, { minExclusive: true }), DETECTOR_DEFAULTS.coreset.ratio)
    .option('--hold-out-every <n>', 'every n-th normal image calibrates the threshold instead of joining the bank', positiveInteger, DETECTOR_DEFAULTS.holdOutEvery)
    .addOption(new Option('--score <how>', 'a pixel\'s score: the distance of the patches over it to their nearest normal patches, or its distance from the image rebuilt from those').choices(['patch-distance', 'pixel-residual']).default(DETECTOR_DEFAULTS.score))
    .option('--sigma <px>', 'Gaussian smoothing of the anomaly map, in pixels', nonNegativeNumber, DETECTOR_DEFAULTS.smoothingSigma)
    .option('--min-region-area <px>', 'regions of fewer pixels are left out of the proposed mask', nonNegativeInteger, DETECTOR_DEFAULTS.minRegionArea)
    .option('--json', 'print one JSON result object')
    .addOption(maxPixelsOption())
    .action(async (source: string, opts: { out: string; bundle?: string; fpr: number; coreset: number; holdOutEvery: number; score: 'patch-distance' | 'pixel-residual'; sigma: number; minRegionArea: number; json?: boolean; maxPixels?: number }) => {
      setMaxPixels(opts.maxPixels);
      checkOutputFolder(opts.out);
      const bundle = opts.bundle ?? defaultBundleDir();
      const progress = createProgress({ enabled: !opts.json });
      let result: FitResult;
      try {
        result = await fitDetector(
          { source, out: opts.out, bundle, settings: { fpr: opts.fpr, holdOutEvery: opts.holdOutEvery, score: opts.score, smoothingSigma: opts.sigma, minRegionArea: opts.minRegionArea, coreset: { ...DETECTOR_DEFAULTS.coreset, ratio: opts.coreset } } },
          { onObject: (object, index, total) => (index === 0 ? progress.start(total, 'fitting') : progress.tick(1, object)) },
        );
      } finally {
        progress.stop();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ out: result.out, seconds: result.seconds, manifest: result.manifest, problems: result.problems }, null, 2)}\n`);
      else {
        for (const p of result.problems) process.stderr.write(`${line(p)}\n`);
        process.stdout.write(summary(result));
      }
      if (result.problems.some((p) => p.severity === 'error')) process.exitCode = 1;
    });
}
