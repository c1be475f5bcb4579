// Evaluate's guided steps: the dataset (when the workspace has several), the split, the model
// bundle (unless Evaluate was started on one), a baseline bundle and the candidate descriptions.
// What was chosen last is remembered per workspace and proposed the next time. No `vscode`.
import type { CandidateMode } from '../../server/eval/candidates';
import type { Split } from '../../server/dataset/types';
import type { Choice, Step } from '../ui/stepTable';

export interface EvaluateAnswers {
  dataset: string;
  split: Split;
  /** A bundle folder; '' for the embedded default model. */
  bundle: string;
  /** A bundle folder; '' for none. */
  baseline: string;
  candidates: CandidateMode;
}

export interface EvaluateContext {
  datasets: Choice<string>[];
  /** The readable bundles; the embedded default's folder is `embeddedFolder`. */
  bundles: { name: string; description: string; folder: string; embedded: boolean }[];
  /** The bundle proposed when none was chosen before: the default-model setting's, or '' for the embedded one. */
  defaultBundle: string;
}

const SPLIT_CHOICES: Choice<Split>[] = [
  { label: 'test', value: 'test' },
  { label: 'val', value: 'val' },
  { label: 'train', value: 'train' },
];

const CANDIDATE_CHOICES: Choice<CandidateMode>[] = [
  { label: 'all', description: 'every description of the dataset (the paper’s Table 4)', value: 'all' },
  { label: 'object', description: 'only the descriptions of the region’s object (Table 5)', value: 'object' },
];

export function evaluateSteps(ctx: EvaluateContext): Step<EvaluateAnswers>[] {
  const bundleChoices = (forBaseline: boolean): Choice<string>[] =>
    ctx.bundles.map((b) => ({ label: b.name, description: b.description, detail: b.folder, value: b.embedded && !forBaseline ? '' : b.folder }));
  return [
    { id: 'dataset', title: 'dataset', applies: () => ctx.datasets.length > 1, ask: () => ({ kind: 'pick', choices: ctx.datasets }) },
    { id: 'split', title: 'split', ask: () => ({ kind: 'pick', choices: SPLIT_CHOICES }), proposed: () => 'test' },
    { id: 'bundle', title: 'model bundle', ask: () => ({ kind: 'pick', choices: bundleChoices(false) }), proposed: () => ctx.defaultBundle },
    {
      id: 'baseline',
      title: 'baseline bundle to compare with',
      ask: () => ({ kind: 'pick', choices: [{ label: 'no baseline', value: '' }, ...bundleChoices(true)] }),
      proposed: () => '',
    },
    { id: 'candidates', title: 'candidate descriptions', ask: () => ({ kind: 'pick', choices: CANDIDATE_CHOICES }), proposed: () => 'all' },
  ];
}

/** What is remembered for the next evaluation: the split, the bundles and the candidates. */
export function rememberedOf(a: Partial<EvaluateAnswers>): Partial<EvaluateAnswers> {
  const { split, bundle, baseline, candidates } = a;
  return Object.fromEntries(Object.entries({ split, bundle, baseline, candidates }).filter(([, v]) => v !== undefined));
}
