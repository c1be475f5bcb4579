import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import sharp from 'sharp';
import { setMaxPixels } from '../../image/pixelLimit';
import { requireRegularFile } from '../../image/regularFile';
import { maxPixelsOption } from '../maxPixelsOption';
import { Predictor, type RegionDescription, type RegionDesignation } from '../../model';
import { readCandidatesFile, candidateList } from '../../model/candidatesFile';
import { defaultBundleDir } from '../../model/defaultBundle';
import { maskRegions } from '../../model/maskRegions';
import { UserError, errorMessage } from '../../util/errors';
import { collect, positiveInteger, positiveNumber } from '../options';


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
  json?: boolean;
  threads?: number;
}

type Source =
  | { kind: 'mask'; file: string }
  | { kind: 'region-of'; file: string; index: number; of: number; bbox: [number, number, number, number]; area: number }
  | { kind: 'whole-image'; reason: string };

interface Target {
  source: Source;
  /** No masks: the whole image. */
  designation: RegionDesignation;
}

async function imageSize(file: string): Promise<{ width: number; height: number }> {
  await requireRegularFile(file, 'image');
  try {
    const meta = await sharp(file).metadata();
    if (!meta.width || !meta.height) throw new Error('no image size in the header');
    return { width: meta.width, height: meta.height };
  } catch (err) {
    throw new UserError(`cannot read the image: ${errorMessage(err)}`, file);
  }
}

async function targets(image: string, options: DescribeOptions, warn: (m: string) => void): Promise<Target[]> {
  const out: Target[] = options.mask.map((file) => ({ source: { kind: 'mask', file }, designation: file }));
  if (options.regionOf) {
    const file = options.regionOf;
    const [{ width, height }, split] = await Promise.all([imageSize(image), maskRegions(file, { eps: options.eps ?? 1.5, minPts: options.minPts ?? 1 })]);
    if (split.width !== width || split.height !== height) throw new UserError(`the mask is ${split.width}x${split.height} but the image ${image} is ${width}x${height}`, file);
    split.warnings.forEach(warn);
    if (split.regions.length === 0) warn(`${file}: the mask is empty, so it designates the whole image`);
    split.regions.forEach((r, index) =>
      out.push({ source: { kind: 'region-of', file, index, of: split.regions.length, bbox: r.bbox, area: r.area }, designation: r.designation }),
    );
    if (split.regions.length === 0) out.push({ source: { kind: 'whole-image', reason: `the mask ${file} is empty` }, designation: [] });
  }
  if (out.length === 0) out.push({ source: { kind: 'whole-image', reason: 'no region designated' }, designation: [] });
  return out;
}

function sourceLabel(source: Source, description: RegionDescription): string {
  const whole = description.wholeImage;
  switch (source.kind) {
    case 'mask':
      return whole ? `mask ${source.file} is empty: the whole image is described` : `mask ${source.file}`;
    case 'region-of': {
      const [x, y, w, h] = source.bbox;
      return `region ${source.index + 1} of ${source.of} in ${source.file} (${source.area} px at x ${x}, y ${y}, ${w}x${h})`;
    }
    case 'whole-image':
      return `whole image (${source.reason})`;
  }
}

/** A path relative to the working folder when it lies inside it. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

function textReport(image: string, bundleDir: string, candidateNote: string, targetsList: Target[], results: RegionDescription[]): string {
  const lines = [image, `  model ${shortPath(bundleDir)}; ${candidateNote}`];
  results.forEach((result, i) => {
    lines.push(`region ${i + 1}: ${sourceLabel(targetsList[i].source, result)}`);
    if (result.outsideCrop) lines.push('  (the region lies outside the centred square the model sees)');
    const width = Math.max(...result.ranking.map((r) => r.text.length));
    result.ranking.forEach((r, k) =>
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
      const list = await targets(image, options, warn);

      const predictor = await Predictor.open(bundleDir, { intraOpNumThreads: options.threads, warn });
      try {
        const texts = given?.texts ?? predictor.descriptions;
        if (texts.length === 0) throw new UserError(`the bundle has no descriptions of its own; give candidates with --candidates FILE or --text`, predictor.bundle.manifestFile);
        const candidateNote = `${texts.length} candidate descriptions from ${options.candidates ?? (options.text ? '--text' : 'the bundle')}`;
        const results = await predictor.describeRegions(image, list.map((t) => t.designation), texts, options.top);
        if (options.json) {
          const regions = results.map((result, i) => ({
            designation: list[i].source,
            wholeImage: result.wholeImage,
            outsideCrop: result.outsideCrop,
            ranking: result.ranking.map((r, k) => ({ rank: k + 1, text: r.text, cosine: r.cosine, probability: r.probability })),
          }));
          const out = { image, bundle: predictor.bundle.dir, candidates: { source: options.candidates ?? (options.text ? 'text' : 'bundle'), count: texts.length }, top: options.top, regions, warnings };
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        } else {
          process.stdout.write(textReport(image, predictor.bundle.dir, candidateNote, list, results));
        }
      } finally {
        await predictor.close();
      }
    });
}
