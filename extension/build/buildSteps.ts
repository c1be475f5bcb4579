// Build Dataset…'s guided steps: the sources, how masks split into regions, the descriptions and
// the output folder, named for what it holds; on the quick path (sources given, as the sample's
// Build button does) a review of every parameter before the build. What a build asked for last is
// remembered per workspace and proposed the next time. No `vscode`.
import { SPLIT_MODE_LABELS, SPLIT_MODES } from '../../server/masks/splitDefaults';
import type { SplitMode } from '../../server/masks/types';
import type { DescribeProvider, Settings } from '../settings/settings';
import type { ReviewRow, Step } from '../ui/stepTable';

export interface BuildAnswers {
  sources: string[];
  mode: SplitMode;
  eps: number;
  minPts: number;
  describe: DescribeProvider;
  out: string;
  /** The review of the quick path, accepted. */
  review: true;
}

/** What is remembered of a build for the next one. */
export type RememberedBuild = Partial<Pick<BuildAnswers, 'sources' | 'mode' | 'eps' | 'minPts' | 'describe'>>;

export interface BuildContext {
  /** The settings' region split and description provider: the proposals when nothing is remembered. */
  settings: Pick<Settings, 'regions' | 'describeProvider'>;
  /** Where new datasets go. */
  datasetsFolder: string;
  /** A folder below `parent` not taken yet, named `base` or `base-N`. */
  freshFolder: (parent: string, base: string) => Promise<string>;
  /** A source folder's detected layout, as its row shows it. */
  describeSource: (folder: string) => Promise<string>;
  /** A path as the review shows it. */
  shown: (path: string) => string;
  /** The quick path: the flow ends with a review of the parameters. */
  review: boolean;
}

const DESCRIBE_CHOICES = [
  { label: 'builtin', description: 'composed from the defect and object names', value: 'builtin' },
  { label: 'llm', description: 'rewritten by an LLM (Set LLM API Key)', value: 'llm' },
];

function baseName(p: string): string {
  return p.split(/[/\\]/).filter(Boolean).pop() ?? 'source';
}

/** The output folder's name, saying what it holds: `<sources>-regions-<mode>`, `-llm` with LLM descriptions. */
export function datasetName(sources: readonly string[], a: { mode: SplitMode; describe: DescribeProvider }): string {
  const names = sources.map(baseName);
  const from = names.length === 0 ? 'dataset' : names.length <= 2 ? names.join('+') : `${names.slice(0, 2).join('+')}+${names.length - 2}-more`;
  return `${from}-regions-${a.mode}${a.describe === 'llm' ? '-llm' : ''}`.replace(/[^\w.+-]+/g, '-');
}

/** How the regions are split, in words: `dbscan, eps 1.5, minPts 1` or `cc8`. */
export function splitSummary(a: { mode: SplitMode; eps: number; minPts: number }): string {
  return a.mode === 'dbscan' ? `dbscan, eps ${a.eps}, minPts ${a.minPts}` : a.mode;
}

function withDefaults(a: Partial<BuildAnswers>, ctx: BuildContext): Omit<BuildAnswers, 'out' | 'review'> {
  return {
    sources: a.sources ?? [],
    mode: a.mode ?? ctx.settings.regions.mode,
    eps: a.eps ?? ctx.settings.regions.eps,
    minPts: a.minPts ?? ctx.settings.regions.minPts,
    describe: a.describe ?? ctx.settings.describeProvider,
  };
}

/** The review's rows: each parameter, with the step that changes it. */
export function buildReview(a: Partial<BuildAnswers>, ctx: BuildContext): ReviewRow<BuildAnswers>[] {
  const d = withDefaults(a, ctx);
  return [
    { label: 'Sources', description: d.sources.map(baseName).join(', '), step: 'sources' },
    { label: 'Regions', description: splitSummary(d), step: 'mode' },
    { label: 'Descriptions', description: d.describe, step: 'describe' },
    { label: 'Output folder', description: a.out ? ctx.shown(a.out) : '', step: 'out' },
  ];
}

export function buildSteps(ctx: BuildContext): Step<BuildAnswers>[] {
  const dbscan = (a: Partial<BuildAnswers>) => (a.mode ?? ctx.settings.regions.mode) === 'dbscan';
  return [
    {
      id: 'sources',
      title: 'sources',
      ask: () => ({
        kind: 'folders',
        addLabel: 'Add a source folder…',
        continueLabel: 'Continue with these sources',
        dialogTitle: 'Anomaly Lens: source anomaly dataset (MVTec AD, VisA, AnomalyDiffusion or a folder layout)',
        openLabel: 'Add Source',
        describe: ctx.describeSource,
      }),
      proposed: () => [],
    },
    {
      id: 'mode',
      title: 'how masks split into regions',
      ask: () => ({ kind: 'pick', choices: SPLIT_MODES.map((m) => ({ label: m, description: SPLIT_MODE_LABELS[m], value: m })) }),
      proposed: () => ctx.settings.regions.mode,
    },
    { id: 'eps', title: 'DBSCAN radius eps (pixels)', applies: dbscan, ask: () => ({ kind: 'number', min: 0, above: true, integer: false }), proposed: () => ctx.settings.regions.eps },
    { id: 'minPts', title: 'DBSCAN minPts', applies: dbscan, ask: () => ({ kind: 'number', min: 1, integer: true }), proposed: () => ctx.settings.regions.minPts },
    { id: 'describe', title: 'descriptions', ask: () => ({ kind: 'pick', choices: DESCRIBE_CHOICES }), proposed: () => ctx.settings.describeProvider },
    {
      id: 'out',
      title: 'output folder of the dataset',
      ask: () => ({ kind: 'path' }),
      proposed: (a) => {
        const d = withDefaults(a, ctx);
        return ctx.freshFolder(ctx.datasetsFolder, datasetName(d.sources, d));
      },
    },
    {
      id: 'review',
      title: 'build with these parameters',
      applies: () => ctx.review,
      ask: (a) => ({ kind: 'review', acceptLabel: 'Build', acceptDetail: a.out ? `into ${ctx.shown(a.out)}` : undefined, rows: buildReview(a, ctx) }),
    },
  ];
}

/** What a finished flow leaves to be proposed next time. */
export function rememberedOf(a: Partial<BuildAnswers>): RememberedBuild {
  const out: RememberedBuild = {};
  if (a.sources) out.sources = a.sources;
  if (a.mode) out.mode = a.mode;
  if (a.eps !== undefined) out.eps = a.eps;
  if (a.minPts !== undefined) out.minPts = a.minPts;
  if (a.describe) out.describe = a.describe;
  return out;
}
