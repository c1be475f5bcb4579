import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { setMaxPixels } from '../../image/pixelLimit';
import { requireRegularFile } from '../../image/regularFile';
import { maxPixelsOption } from '../maxPixelsOption';
import { Predictor } from '../../model';
import { describeImage } from '../../model/describeImage';
import type { DescribeImageResult, DescribedRegion, RegionSource } from '../../model/describeTypes';
import { readCandidatesFile, candidateList } from '../../model/candidatesFile';
import { defaultBundleDir } from '../../model/defaultBundle';
import { UserError } from '../../util/errors';
import { collect, numberIn, positiveInteger, positiveNumber } from '../options';


interface DescribeOptions {
  maxPixels?: number;
  bundle?: string;
  mask: string[];
  regionOf?: string;
  eps?: number;
  minPts?: number;
  candidates?: string;
  text?: string[];
  top: number;
  uncertainBelow?: number;
  json?: boolean;
  threads?: number;
}

function sourceLabel(source: RegionSource, whole: boolean): string {
  switch (source.kind) {
    case 'mask':
      return whole ? `mask ${source.file} is empty: the whole image is described` : `mask ${source.file}`;
    case 'region-of': {
      // The mask's path is printed once, above the regions (maskHeaders).
      const [x, y, w, h] = source.bbox;
      const named = source.defect !== undefined ? `${source.defect} (mask value ${source.classId}), ` : source.classId !== undefined ? `mask value ${source.classId} (no class named), ` : '';
      return `${named}${source.index + 1} of ${source.of} in the mask, ${source.area} px at x ${x}, y ${y}, ${w}x${h}`;
    }
    case 'pixels':
      return `region ${source.index + 1} (${source.area} px)`;
    case 'whole-image':
      return `whole image (${source.reason})`;
  }
}

/** A path relative to the working folder when it lies inside it. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** One line per mask split into regions: its path, and the class map that names its values. */
function maskHeaders(result: DescribeImageResult): string[] {
  const masks = new Map<string, string | undefined>();
  for (const { source } of result.regions) if (source.kind === 'region-of') masks.set(source.file, source.classMap);
  return [...masks].map(([file, classMap]) => `  regions of ${shortPath(file)}${classMap ? `, class ids named by ${shortPath(classMap)}` : ''}`);
}

const percent = (p: number) => `${(p * 100).toFixed(2)} %`;

/** The answer stated, or, when the model is unsure of it, "uncertain:" above its top candidates. */
function answerLine(region: DescribedRegion, uncertainBelow = 0): string {
  const best = region.ranking[0];
  if (region.uncertain || !best) return `  uncertain: the best answer is ${best ? percent(best.probability) : 'none'}, below ${percent(uncertainBelow)}; the top candidates:`;
  return `  answer: ${best.text} (${percent(best.probability)})`;
}

function textReport(result: DescribeImageResult, candidateNote: string): string {
  const lines = [result.image, `  model ${shortPath(result.bundle)}; ${candidateNote}`, ...maskHeaders(result)];
  result.regions.forEach((region, i) => {
    lines.push(`region ${i + 1}: ${sourceLabel(region.source, region.wholeImage)}`);
    if (region.outsideCrop) lines.push('  (the region lies outside the centred square the model sees)');
    lines.push(answerLine(region, result.uncertainBelow));
    const width = Math.max(...region.ranking.map((r) => r.text.length));
    region.ranking.forEach((r, k) =>
      lines.push(`  ${String(k + 1).padStart(2)}. ${r.text.padEnd(width)}  cos ${r.cosine.toFixed(4)}  p ${(r.probability * 100).toFixed(2).padStart(6)} %`),
    );
  });
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('describe')
    .description('Describe designated regions of an image in words: the top-k candidate descriptions by cosine similarity, with softmax probabilities.')
    .argument('<image>', 'the image')
    .option('--bundle <dir>', 'model bundle folder (default: the embedded default model)')
    .option('--mask <file>', 'a mask designating one region (repeat for several regions); none: the whole image', collect, [])
    .option('--region-of <mask>', 'split this mask into its individual regions (DBSCAN) and describe each')
    .option('--eps <e>', 'DBSCAN neighbourhood radius in pixels for --region-of', positiveNumber)
    .option('--min-pts <k>', 'DBSCAN core-point threshold for --region-of', positiveInteger)
    .option('--candidates <file>', 'candidate descriptions: one per line, or a JSON array of strings (default: the bundle\'s descriptions)')
    .option('--text <texts...>', 'candidate descriptions given on the command line (after IMAGE)')
    .option('--top <k>', 'how many descriptions to show per region', positiveInteger, 5)
    .option('--uncertain-below <p>', "an answer less probable than this (0 to 1) is shown as uncertain, with its top candidates (default: the bundle's calibrated threshold, else 0.5)", numberIn(0, 1))
    .option('--threads <n>', 'onnxruntime threads', positiveInteger)
    .option('--json', 'print one JSON object')
    .addOption(maxPixelsOption())
    .action(async (image: string, options: DescribeOptions) => {
      setMaxPixels(options.maxPixels);
      if (options.candidates && options.text) throw new UserError('give candidates either with --candidates FILE or with --text, not both');
      if ((options.eps !== undefined || options.minPts !== undefined) && !options.regionOf) throw new UserError('--eps and --min-pts apply to --region-of MASK');
      const warnings: string[] = [];
      const warn = (message: string) => {
        warnings.push(message);
        process.stderr.write(`anomaly-lens: warning: ${message}\n`);
      };
      const bundleDir = options.bundle ?? defaultBundleDir();
      const given = options.candidates ? readCandidatesFile(options.candidates) : options.text ? candidateList(options.text, '--text') : undefined;
      given?.warnings.forEach(warn);
      await requireRegularFile(image, 'image');
      const predictor = await Predictor.open(bundleDir, { intraOpNumThreads: options.threads, warn });
      try {
        const result = await describeImage(
          predictor,
          {
            image,
            masks: options.mask,
            ...(options.regionOf ? { regionOf: { mask: options.regionOf, eps: options.eps, minPts: options.minPts } } : {}),
            ...(given ? { candidates: given.texts } : {}),
            topK: options.top,
            ...(options.uncertainBelow !== undefined ? { uncertainBelow: options.uncertainBelow } : {}),
          },
          warn,
        );
        const count = given?.texts.length ?? predictor.descriptions.length;
        const candidateNote = `${count} candidate descriptions from ${options.candidates ?? (options.text ? '--text' : 'the bundle')}`;
        if (options.json) {
          const regions = result.regions.map((region) => ({
            designation: region.source,
            wholeImage: region.wholeImage,
            outsideCrop: region.outsideCrop,
            ranking: region.ranking.map((r, k) => ({ rank: k + 1, ...r })),
            uncertain: region.uncertain,
          }));
          const out = { image: result.image, bundle: result.bundle, uncertainBelow: result.uncertainBelow, temperature: result.temperature, candidates: { source: options.candidates ?? (options.text ? 'text' : 'bundle'), count }, top: options.top, regions, warnings };
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        } else {
          process.stdout.write(textReport(result, candidateNote));
        }
      } finally {
        await predictor.close();
      }
    });
}
