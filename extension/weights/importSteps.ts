// Import Pretrained Weights' guided steps: the OpenAI CLIP weights, the AlphaCLIP visual weights
// (or none: whole-image CLIP), the CLIP vocabulary and the bundle's folder. Each file is one found
// in the workspace or one chosen with the file dialog. No `vscode`.
import type { Choice, Step } from '../ui/stepTable';

export interface ImportAnswers {
  clip: string;
  /** undefined: none, the whole-image CLIP. */
  alpha: string | undefined;
  vocab: string;
  out: string;
}

export interface ImportContext {
  /** Files of the workspace that may be each kind. */
  found: { clip: string[]; alpha: string[]; vocab: string[] };
  /** Where imported bundles go. */
  modelsFolder: string;
  freshFolder: (parent: string, base: string) => Promise<string>;
  /** A path as a row shows it. */
  shown: (path: string) => string;
}

function stem(file: string): string {
  const name = file.split(/[/\\]/).pop() ?? 'weights';
  return name.replace(/\.[^.]+$/, '');
}

export function importSteps(ctx: ImportContext): Step<ImportAnswers>[] {
  const choices = (files: string[]): Choice<string>[] => files.map((f) => ({ label: f.split(/[/\\]/).pop() ?? f, detail: ctx.shown(f), value: f }));
  return [
    {
      id: 'clip',
      title: 'OpenAI CLIP weights (.pt, MIT licence)',
      ask: () => ({ kind: 'file', candidates: choices(ctx.found.clip), dialogTitle: 'Anomaly Lens: OpenAI CLIP weights (.pt, MIT licence)', filters: { 'CLIP weights': ['pt'] } }),
    },
    {
      id: 'alpha',
      title: 'AlphaCLIP visual weights (.pth, research use only)',
      ask: () => ({
        kind: 'file',
        candidates: choices(ctx.found.alpha),
        none: 'none: whole-image CLIP',
        dialogTitle: 'Anomaly Lens: AlphaCLIP visual weights (.pth, research use only)',
        filters: { 'AlphaCLIP weights': ['pth'] },
      }),
    },
    {
      id: 'vocab',
      title: 'CLIP vocabulary (bpe_simple_vocab_16e6.txt.gz)',
      ask: () => ({ kind: 'file', candidates: choices(ctx.found.vocab), dialogTitle: 'Anomaly Lens: CLIP vocabulary (bpe_simple_vocab_16e6.txt.gz)', filters: { Vocabulary: ['gz', 'txt'] } }),
    },
    {
      id: 'out',
      title: 'folder of the imported bundle',
      ask: () => ({ kind: 'path' }),
      proposed: (a) => ctx.freshFolder(ctx.modelsFolder, a.clip ? stem(a.clip) : 'imported'),
    },
  ];
}
