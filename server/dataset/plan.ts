// Turns the samples of the source datasets into build jobs: which split each anomalous
// image goes to and where its copy and region masks will live inside the output.
import { basename, extname, relative } from 'node:path';
import type { DrawnRegion } from '../masks/shapeTypes';
import type { Problem } from '../util/errors';
import type { SourceDataset, SourceSample, Split } from './types';
import type { SourceRole } from './roles';
import { assignSplits } from './splits';

export interface PlannedSource {
  dataset: SourceDataset;
  role: SourceRole;
}

export interface BuildJob {
  image: string;
  /** The mask file, or the annotation file that draws the regions (`drawn`). */
  mask: string;
  /** Several mask files, `mask` first, each split on its own (MVTec LOCO AD). */
  masks?: string[];
  /** Regions the source draws (COCO, LabelMe): each one region, rasterised instead of split from a mask. */
  drawn?: DrawnRegion[];
  object: string;
  defect: string;
  classNames?: Record<number, string>;
  split: Split;
  /** Copy of the image, relative to the output root. */
  destImage: string;
  /** Region k is written to `${destMaskStem}_${k}.png`, relative to the output root. */
  destMaskStem: string;
}

export interface BuildPlan {
  jobs: BuildJob[];
  /** Normal images per object: counted, never written. */
  goodImages: Record<string, number>;
  /** Anomalous images per source (index as in the input). */
  anomalousPerSource: number[];
  goodPerSource: number[];
  problems: Problem[];
}

/** A folder or file name safe to use as one path component of the output. */
export function safeComponent(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

export function isGood(sample: SourceSample): boolean {
  return sample.defect === 'good' || sample.split === 'train-good';
}

interface Candidate {
  sample: SourceSample;
  key: string;
  split?: Split;
}

/** Decides split and output names for every anomalous sample; deterministic for given inputs. */
export function planBuild(sources: readonly PlannedSource[], options: { valRatio: number; seed: number }): BuildPlan {
  const goodImages: Record<string, number> = {};
  const anomalousPerSource: number[] = [];
  const goodPerSource: number[] = [];
  const problems: Problem[] = [];
  const candidates: Candidate[] = [];
  const toSplit: Candidate[] = [];

  for (const { dataset, role } of sources) {
    const reported = new Set(dataset.problems.flatMap((p) => [p.file, p.other ?? '']));
    let anomalous = 0;
    let good = 0;
    for (const sample of dataset.samples) {
      if (isGood(sample)) {
        good++;
        goodImages[sample.object] = (goodImages[sample.object] ?? 0) + 1;
        continue;
      }
      if (!sample.mask && !sample.drawn) {
        if (!reported.has(sample.image)) {
          problems.push({ file: sample.image, message: `anomalous image (${sample.object}/${sample.defect}) has no mask; skipped`, severity: 'error' });
        }
        continue;
      }
      anomalous++;
      const candidate: Candidate = { sample, key: relative(dataset.root, sample.image).split('\\').join('/') };
      if (role === 'train+val') toSplit.push(candidate);
      else candidate.split = role;
      candidates.push(candidate);
    }
    anomalousPerSource.push(anomalous);
    goodPerSource.push(good);
  }

  const trainVal = assignSplits(
    toSplit.map((c) => ({ key: c.key, stratum: `${c.sample.object}\0${c.sample.defect}` })),
    options,
  );
  toSplit.forEach((c, i) => (c.split = trainVal[i]));

  const taken = new Set<string>();
  const jobs = candidates.map(({ sample, split }): BuildJob => {
    const object = safeComponent(sample.object);
    const defect = safeComponent(sample.defect);
    const ext = extname(sample.image);
    const stem = safeComponent(basename(sample.image, ext));
    const folder = `${split}/${object}/${defect}`;
    let unique = stem;
    for (let n = 2; taken.has(`${folder}/${unique}`); n++) unique = `${stem}-${n}`;
    taken.add(`${folder}/${unique}`);
    return {
      image: sample.image,
      mask: sample.drawn?.file ?? (sample.mask as string),
      ...(sample.masks && !sample.drawn ? { masks: sample.masks } : {}),
      ...(sample.drawn ? { drawn: sample.drawn.regions } : {}),
      object: sample.object,
      defect: sample.defect,
      ...(sample.classNames ? { classNames: sample.classNames } : {}),
      split: split as Split,
      destImage: `images/${folder}/${unique}${ext}`,
      destMaskStem: `masks/${folder}/${unique}`,
    };
  });
  return { jobs, goodImages, anomalousPerSource, goodPerSource, problems };
}
