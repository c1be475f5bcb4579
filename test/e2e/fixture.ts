// The workspace the real-VS-Code tests open: small datasets in the on-disk format, written
// from typed records so they follow server/dataset/format.ts.  Both the harness (which writes
// them) and the extension-side tests (which check what the editor shows) import this.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DatasetManifest, ImageRecord, RegionRecord } from '../../server/dataset/format';
import type { Split } from '../../server/dataset/types';

export interface FixtureDataset {
  /** Folder under the workspace, which is also the dataset's name in the view. */
  folder: string;
  records: Record<Split, ImageRecord[]>;
  /** Contents of a builder-written stats.md, when the dataset has one. */
  statsMarkdown?: string;
}

const SPLIT_NAMES: Split[] = ['train', 'val', 'test'];

function region(object: string, defect: string, description: string, stem: string, k: number, area: number): RegionRecord {
  return { mask: `masks/${object}/${defect}/${stem}_${k}.png`, bbox: [k * 10, k * 10, 8, 8], area, defect, description };
}

function image(object: string, defect: string, description: string, stem: string, areas: number[]): ImageRecord {
  return {
    image: `images/${object}/${defect}/${stem}.png`,
    object,
    defect,
    width: 64,
    height: 64,
    regions: areas.map((area, k) => region(object, defect, description, stem, k, area)),
  };
}

const SCREW_SCRATCH = 'scratch on screw head';
const SCREW_THREAD = 'damaged screw thread';
const NUT_CRACK = 'crack in hazelnut';
const CABLE_CUT = 'cut inner insulation of cable';

export const FIXTURE_DATASETS: FixtureDataset[] = [
  {
    folder: 'datasets/screws',
    records: {
      train: [
        image('screw', 'scratch_head', SCREW_SCRATCH, '000', [40, 12]),
        image('screw', 'thread_side', SCREW_THREAD, '001', [30]),
        image('hazelnut', 'crack', NUT_CRACK, '002', [55, 20, 9]),
      ],
      val: [image('screw', 'scratch_head', SCREW_SCRATCH, '003', [18])],
      test: [image('hazelnut', 'crack', NUT_CRACK, '004', [70, 11]), image('screw', 'thread_side', SCREW_THREAD, '005', [25])],
    },
  },
  {
    folder: 'datasets/cables',
    records: {
      train: [image('cable', 'cut_inner_insulation', CABLE_CUT, '000', [33])],
      val: [],
      test: [image('cable', 'cut_inner_insulation', CABLE_CUT, '001', [44, 5])],
    },
    statsMarkdown: '# Statistics of cables\n\nWritten by the builder.\n',
  },
];

export function countsOf(records: ImageRecord[]): { images: number; regions: number } {
  return { images: records.length, regions: records.reduce((sum, r) => sum + r.regions.length, 0) };
}

export function manifestOf(dataset: FixtureDataset): DatasetManifest {
  const all = SPLIT_NAMES.flatMap((s) => dataset.records[s]);
  const objects = [...new Set(all.map((r) => r.object))].sort();
  const pairs = new Map<string, { object: string; defect: string; text: string }>();
  for (const r of all) pairs.set(`${r.object}/${r.defect}`, { object: r.object, defect: r.defect, text: r.regions[0]?.description ?? '' });
  return {
    formatVersion: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    tool: { name: 'anomaly-lens', version: '0.1.0' },
    sources: [{ kind: 'mvtec', root: '/data/source', splits: SPLIT_NAMES }],
    parameters: { mode: 'dbscan', eps: 1.5, minPts: 4, minArea: 4, threshold: 128, splitSeed: 1, valRatio: 0.2, describe: 'builtin' },
    objects,
    defects: [...pairs.values()].map(({ object, defect }) => ({ object, defect })),
    descriptions: [...pairs.values()].map(({ object, defect, text }) => ({ object, defect, text, provenance: { kind: 'builtin' } })),
    counts: {
      train: countsOf(dataset.records.train),
      val: countsOf(dataset.records.val),
      test: countsOf(dataset.records.test),
    },
  };
}

export function writeDataset(workspace: string, dataset: FixtureDataset): string {
  const dir = join(workspace, dataset.folder);
  mkdirSync(dir, { recursive: true });
  for (const split of SPLIT_NAMES) {
    writeFileSync(join(dir, `${split}.jsonl`), dataset.records[split].map((r) => `${JSON.stringify(r)}\n`).join(''));
    // Empty stand-ins for the image and mask files: these tests read manifests and counts, never
    // pixels, but a dataset whose files are missing is refused by the statistics.
    for (const file of dataset.records[split].flatMap((r) => [r.image, ...r.regions.map((g) => g.mask)])) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
  }
  if (dataset.statsMarkdown) writeFileSync(join(dir, 'stats.md'), dataset.statsMarkdown);
  const manifest = join(dir, 'dataset.json');
  writeFileSync(manifest, `${JSON.stringify(manifestOf(dataset), null, 2)}\n`);
  return manifest;
}

export function writeFixtureWorkspace(workspace: string): void {
  for (const dataset of FIXTURE_DATASETS) writeDataset(workspace, dataset);
}
