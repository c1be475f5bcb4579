// Changing a built dataset, the one way every writer does it (a build, the mask editor's save, a
// relabel): under the dataset's lock, after finishing a switch a dead process left half done;
// the new split files, statistics and dataset.json switched in together (switch.ts); then the
// files no record refers to any more deleted (prune.ts).
import type { Problem } from '../util/errors';
import { faultPoint } from '../util/faultPoint';
import { acquireLock, type HeldLock } from '../util/lock';
import type { DatasetManifest } from './format';
import { MANIFEST_FILE, SPLITS, splitFile, toJsonl, type SplitRecords } from './manifest';
import { pruneOwned } from './prune';
import { stateFiles } from './stateDir';
import { computeStats, statsMarkdown, type DatasetStats } from './stats';
import { finishInterruptedSwitch, switchDataset } from './switch';
import type { Split } from './types';

/**
 * Runs `change` holding the lock of the dataset in `root` (a UserError naming the holder when a
 * live process has it), once a switch that a dead process left under way is finished.
 */
export async function withDatasetLock<T>(root: string, command: string, change: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lock = acquireLock(stateFiles(root).lock, command, `the dataset folder ${root}`);
  try {
    await finishInterruptedSwitch(root);
    return await change(lock);
  } finally {
    lock.release();
  }
}

/** Each split's images and regions, as dataset.json counts them. */
export function splitCounts(records: SplitRecords): DatasetManifest['counts'] {
  const counts = {} as DatasetManifest['counts'];
  for (const split of SPLITS) counts[split] = { images: records[split].length, regions: records[split].reduce((n, r) => n + r.regions.length, 0) };
  return counts;
}

/** Every file the records refer to: their images and region masks. */
export function referencedFiles(records: SplitRecords): Set<string> {
  return new Set(SPLITS.flatMap((s) => records[s].flatMap((r) => [r.image, ...r.regions.map((g) => g.mask)])));
}

export interface DatasetVersion {
  manifest: DatasetManifest;
  records: SplitRecords;
  /** The split files that changed (default: all three); the others stay as they are. */
  splits?: readonly Split[];
}

/**
 * Switches the new version of the dataset in (call it holding the lock, with every image and
 * region mask it refers to written), then deletes the files the tool wrote that no record uses
 * any more: its log of written files and `alsoOurs`.  Returns the statistics written and the
 * warnings of files left alone.
 */
export async function commitDataset(root: string, version: DatasetVersion, alsoOurs: Iterable<string> = []): Promise<{ stats: DatasetStats; problems: Problem[] }> {
  const { manifest, records } = version;
  const stats = computeStats(records, manifest.goodImages);
  faultPoint('before-switch');
  await switchDataset(root, [
    { name: 'stats.json', data: `${JSON.stringify(stats, null, 2)}\n` },
    { name: 'stats.md', data: `# Dataset statistics\n\n${statsMarkdown(stats)}` },
    ...(version.splits ?? SPLITS).map((split) => ({ name: splitFile(split), data: toJsonl(records[split]) })),
    { name: MANIFEST_FILE, data: `${JSON.stringify(manifest, null, 2)}\n` },
  ]);
  faultPoint('switched');
  const { problems } = await pruneOwned(root, referencedFiles(records), alsoOurs);
  return { stats, problems };
}
