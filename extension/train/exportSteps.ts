// Export Checkpoint's guided steps: the training run (unless Export was started on one) and which
// checkpoint; "best" is offered only for a run that has validated. No `vscode`.
import type { Choice, Step } from '../ui/stepTable';

export interface ExportAnswers {
  run: string;
  checkpoint: 'best' | 'last';
}

export interface ExportableRun {
  folder: string;
  name: string;
  status: string;
  /** Whether the run has validated, so that it has a best checkpoint. */
  hasBest: boolean;
}

export function exportSteps(runs: readonly ExportableRun[]): Step<ExportAnswers>[] {
  const hasBest = (folder: string | undefined) => runs.find((r) => r.folder === folder)?.hasBest ?? true;
  return [
    { id: 'run', title: 'training run', ask: () => ({ kind: 'pick', choices: runs.map((r): Choice<string> => ({ label: r.name, description: r.status, detail: r.folder, value: r.folder })) }) },
    {
      id: 'checkpoint',
      title: 'which checkpoint',
      ask: (a) => ({
        kind: 'pick',
        choices: [
          ...(hasBest(a.run) ? [{ label: 'best', description: 'best validation accuracy', value: 'best' }] : []),
          { label: 'last', description: 'the newest checkpoint', value: 'last' },
        ],
      }),
      proposed: (a) => (hasBest(a.run) ? 'best' : 'last'),
    },
  ];
}
