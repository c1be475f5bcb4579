// What Create Sample Dataset offers and says: the scales it offers with the images each holds,
// the sample found from its manifest (sample.json), and the message once it is written. No `vscode`.
import { SAMPLE_DEFAULTS, SAMPLE_FORMAT, sampleImageCounts } from '../../server/sample/defaults';
import type { SampleManifest } from '../../server/sample/manifest';

export interface ScaleChoice {
  label: string;
  description: string;
  detail?: string;
  scale: number;
}

/** The scales offered, smallest first. */
export const SAMPLE_SCALES = [0.1, 0.25, 0.5, 1, 2] as const;

const count = (n: number): string => n.toLocaleString('en-US');

/** One row per scale: the images it holds, the default marked. */
export function scaleChoices(defaultScale: number = SAMPLE_DEFAULTS.scale): ScaleChoice[] {
  return SAMPLE_SCALES.map((scale) => {
    const n = sampleImageCounts(scale);
    const marks = [scale === defaultScale ? 'default' : undefined, scale === SAMPLE_SCALES[0] ? 'a quick first look' : undefined].filter(Boolean);
    return {
      label: `${scale}×`,
      description: `${count(n.synthetic + n.mvtec)} images${marks.length ? ` · ${marks.join(', ')}` : ''}`,
      detail: `${count(n.synthetic)} to train and validate on, ${count(n.mvtec)} to test on${scale === SAMPLE_DEFAULTS.scale ? ' — the sample the default model was trained and measured on' : ''}`,
      scale,
    };
  });
}

/** The two source folders of a sample, from its sample.json; undefined for another file or a sample still being written. */
export function sampleSources(manifestText: string): { synthetic: string; mvtec: string } | undefined {
  let value: Partial<SampleManifest>;
  try {
    value = JSON.parse(manifestText) as Partial<SampleManifest>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || value.format !== SAMPLE_FORMAT || value.complete !== true) return undefined;
  const synthetic = value.layouts?.synthetic?.dir;
  const mvtec = value.layouts?.mvtec?.dir;
  return typeof synthetic === 'string' && typeof mvtec === 'string' ? { synthetic, mvtec } : undefined;
}

/** What Create Sample says once the sample is written; `shown` writes a path as the reader knows it. */
export function sampleWrittenMessage(r: { out: string; images: number; synthetic: string; mvtec: string }, shown: (path: string) => string): string {
  return `Anomaly Lens: sample written to ${shown(r.out)}: ${count(r.images)} images, ${shown(r.synthetic)} in the AnomalyDiffusion layout (to train and validate on) and ${shown(r.mvtec)} in the MVTec AD layout (to test on).`;
}
