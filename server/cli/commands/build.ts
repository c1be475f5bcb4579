import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { buildDataset, type BuildResult } from '../../dataset/build';
import { SPLITS } from '../../dataset/manifestText';
import { BUILD_DEFAULTS, DESCRIBE_MODES } from '../../dataset/buildDefaults';
import { SPLIT_MODES } from '../../masks/splitDefaults';
import { parseSourceSpec } from '../../dataset/roles';
import type { Problem } from '../../util/errors';
import { integer, maxWorkers, nonNegativeInteger, nonNegativeNumber, numberIn, positiveInteger, positiveNumber, workersOption } from '../options';
import { maxPixelsOption } from '../maxPixelsOption';
import { createProgress } from '../progress';
import { JOBS } from '../../jobs/jobTable';

export function formatBuildProblem(p: Problem): string {
  return `${p.severity}: ${p.file}: ${p.message}`;
}

function summary(result: BuildResult, describe: string): string {
  const lines = [`dataset written to ${result.out}`];
  for (const s of result.sources) {
    lines.push(`  source ${s.root} (${s.kind} -> ${s.role}): ${s.anomalousImages} anomalous, ${s.goodImages} normal images`);
  }
  lines.push(`  ${SPLITS.map((s) => `${s}: ${result.counts[s].images} images, ${result.counts[s].regions} regions`).join('; ')}`);
  const { total, processed, cached, skipped } = result.images;
  const rate = processed > 0 ? ` (${result.imagesPerSecond.toFixed(1)} images/s with ${result.workers} worker thread(s))` : '';
  lines.push(`  ${total} anomalous images in ${result.seconds.toFixed(1)} s: ${processed} processed${rate}, ${cached} from the build cache, ${skipped} skipped`);
  lines.push(`  ${result.descriptions} descriptions (${describe}); statistics in stats.md`);
  if (result.errors + result.warnings > 0) lines.push(`  ${result.errors} error(s), ${result.warnings} warning(s), listed on stderr`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command(JOBS.buildDataset.command)
    .description('Build a region-level dataset: split every mask into its regions, describe them, write train/val/test splits and statistics.')
    .argument(
      '<sources...>',
      'source dataset folders; AnomalyDiffusion data feeds train+val, any other layout test. Override per source with a suffix: SOURCE:train+val, SOURCE:train, SOURCE:val, SOURCE:test; force a layout with SOURCE:mvtec|visa|anomalydiffusion|coco|labelme|generic',
    )
    .requiredOption('-o, --out <dir>', 'output folder (new, empty, or an earlier build; never inside a source)')
    .option('--eps <e>', 'DBSCAN neighbourhood radius in pixels', positiveNumber, BUILD_DEFAULTS.eps)
    .option('--min-pts <k>', 'DBSCAN core-point threshold', positiveInteger, BUILD_DEFAULTS.minPts)
    .addOption(new Option('--mode <mode>', 'region splitting').choices(SPLIT_MODES).default(BUILD_DEFAULTS.mode))
    .option('--min-area <a>', 'drop regions with fewer pixels', nonNegativeInteger, BUILD_DEFAULTS.minArea)
    .option('--threshold <t>', 'mask values above it are anomaly (default 0; 127 for JPEG masks)', nonNegativeNumber)
    .addOption(new Option('--describe <how>', 'where descriptions come from').choices(DESCRIBE_MODES).default(BUILD_DEFAULTS.describe))
    .option('--llm-model <m>', 'model for --describe llm')
    .option('--llm-base-url <u>', 'OpenAI-compatible endpoint for --describe llm (API key from ANOMALY_LENS_LLM_API_KEY or OPENAI_API_KEY)')
    .option('--llm-timeout <seconds>', 'time allowed for one LLM request (default $ANOMALY_LENS_LLM_TIMEOUT or 60)', positiveNumber)
    .option('--llm-retries <n>', 'retries of a failed LLM request (default $ANOMALY_LENS_LLM_RETRIES or 5)', nonNegativeInteger)
    .option('--llm-deadline <seconds>', 'time allowed for all LLM descriptions, then built-in ones are used (default $ANOMALY_LENS_LLM_DEADLINE or 600)', positiveNumber)
    .option('--overrides <file>', 'curated descriptions (JSON) applied over either mode')
    .option('--val-ratio <r>', 'share of each train+val class that goes to validation', numberIn(0, 1), BUILD_DEFAULTS.valRatio)
    .option('--seed <s>', 'split seed', integer, BUILD_DEFAULTS.seed)
    .option('--workers <n>', `worker threads, 1 to ${maxWorkers()} (default: one per core)`, workersOption(), availableParallelism())
    .option('--json', 'print one JSON result object')
    .addOption(maxPixelsOption())
    .addOption(new Option('--reference', 'process each image as before the fast path (every image decoded, region masks encoded by libvips): the build benchmark\'s reference').hideHelp())
    .action(async (sources: string[], opts) => {
      const result = await buildDataset({
        sources: sources.map((s) => parseSourceSpec(s)),
        out: opts.out,
        mode: opts.mode,
        eps: opts.eps,
        minPts: opts.minPts,
        minArea: opts.minArea,
        threshold: opts.threshold,
        valRatio: opts.valRatio,
        seed: opts.seed,
        workers: opts.workers,
        maxPixels: opts.maxPixels,
        describe: opts.describe,
        llmModel: opts.llmModel,
        llmBaseUrl: opts.llmBaseUrl,
        llmTimeout: opts.llmTimeout,
        llmRetries: opts.llmRetries,
        llmDeadline: opts.llmDeadline,
        overrides: opts.overrides,
        ...(opts.reference ? { reference: true } : {}),
        progress: createProgress({ enabled: !opts.json }),
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        for (const p of result.problems) process.stderr.write(`${formatBuildProblem(p)}\n`);
        process.stdout.write(summary(result, opts.describe));
      }
      // The dataset holds every good sample; a failed sample still fails the command.
      if (result.errors > 0) process.exitCode = 1;
    });
}
