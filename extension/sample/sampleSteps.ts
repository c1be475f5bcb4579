// Create Sample Dataset's guided steps: the folder to write the sample into, then its scale (the
// default proposed, each scale with the images it holds). No `vscode`.
import { SAMPLE_DEFAULTS } from '../../server/sample/defaults';
import type { Step } from '../ui/stepTable';
import { scaleChoices } from './sampleChoices';

export interface SampleAnswers {
  out: string;
  scale: number;
}

export interface SampleContext {
  /** The workspace folder the sample goes into by default. */
  root: string;
  freshFolder: (parent: string, base: string) => Promise<string>;
}

export function sampleSteps(ctx: SampleContext): Step<SampleAnswers>[] {
  return [
    { id: 'out', title: 'folder of the sample dataset', ask: () => ({ kind: 'path' }), proposed: () => ctx.freshFolder(ctx.root, 'sample') },
    {
      id: 'scale',
      title: 'size of the sample',
      ask: () => ({ kind: 'pick', placeholder: 'How many images to draw', choices: scaleChoices().map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.scale })) }),
      proposed: () => SAMPLE_DEFAULTS.scale,
    },
  ];
}
