// sample.json: what a sample output holds (seed, objects, defect types, counts) and, through
// its folder list, which files it owns, so a later run may replace exactly those.
import { classValue, SAMPLE_OBJECTS } from './catalog';
import { SAMPLE_FORMAT } from './defaults';
import { classIdsPath, imagePath, MANIFEST_FILE, maskPath, type FolderRef } from './layout';
import { GOOD, COMBINED, MAX_REGIONS, type Layout, type PlannedImage, type SampleOptions } from './plan';

export { SAMPLE_FORMAT };
export const SAMPLE_FORMAT_VERSION = 1;

export interface SampleFolder extends FolderRef {
  images: number;
  regions: number;
}

export interface LayoutCounts {
  images: number;
  good: number;
  anomalous: number;
  regions: number;
  /** Images whose regions are of several defect types (the `combined` folders). */
  combined: number;
  /** Anomalous images by their number of regions, "1" … "7". */
  byRegionCount: Record<string, number>;
  /** Regions by defect type. */
  regionsByDefect: Record<string, number>;
}

export interface SampleManifest {
  format: typeof SAMPLE_FORMAT;
  version: number;
  /** False while the files are being written. */
  complete: boolean;
  seed: number;
  scale: number;
  size: number;
  layouts: Record<Layout, { dir: string; kind: 'anomalydiffusion' | 'mvtec'; role: 'train+val' | 'test'; imageFormat: 'jpeg' | 'png' }>;
  objects: { name: string; defects: string[]; classIds: Record<string, string> }[];
  defectTypes: string[];
  counts: Record<Layout, LayoutCounts>;
  folders: SampleFolder[];
}

const LAYOUTS: readonly Layout[] = ['synthetic', 'mvtec'];

function emptyCounts(): LayoutCounts {
  const byRegionCount: Record<string, number> = {};
  for (let n = 1; n <= MAX_REGIONS; n++) byRegionCount[String(n)] = 0;
  return { images: 0, good: 0, anomalous: 0, regions: 0, combined: 0, byRegionCount, regionsByDefect: {} };
}

function folderKey(ref: FolderRef): string {
  return [ref.layout, ref.object, ref.split ?? '', ref.folder].join('/');
}

export function buildManifest(options: SampleOptions, plan: readonly PlannedImage[], complete: boolean): SampleManifest {
  const counts: Record<Layout, LayoutCounts> = { synthetic: emptyCounts(), mvtec: emptyCounts() };
  const folders = new Map<string, SampleFolder>();
  const defectTypes = new Set<string>();
  for (const image of plan) {
    const c = counts[image.layout];
    c.images++;
    if (image.defects.length === 0) c.good++;
    else {
      c.anomalous++;
      c.regions += image.defects.length;
      c.byRegionCount[String(image.defects.length)]++;
      if (image.folder === COMBINED) c.combined++;
      for (const d of image.defects) {
        c.regionsByDefect[d] = (c.regionsByDefect[d] ?? 0) + 1;
        defectTypes.add(d);
      }
    }
    const ref: FolderRef = { layout: image.layout, object: image.object.name, ...(image.split ? { split: image.split } : {}), folder: image.folder };
    const key = folderKey(ref);
    const folder = folders.get(key) ?? { ...ref, images: 0, regions: 0 };
    folder.images++;
    folder.regions += image.defects.length;
    folders.set(key, folder);
  }
  for (const c of Object.values(counts)) c.regionsByDefect = sortedRecord(c.regionsByDefect);
  return {
    format: SAMPLE_FORMAT,
    version: SAMPLE_FORMAT_VERSION,
    complete,
    seed: options.seed,
    scale: options.scale,
    size: options.size,
    layouts: {
      synthetic: { dir: 'synthetic', kind: 'anomalydiffusion', role: 'train+val', imageFormat: 'jpeg' },
      mvtec: { dir: 'mvtec', kind: 'mvtec', role: 'test', imageFormat: 'png' },
    },
    objects: SAMPLE_OBJECTS.map((o) => ({
      name: o.name,
      defects: [...o.defects],
      classIds: Object.fromEntries(o.defects.map((d) => [String(classValue(o, d)), d])),
    })),
    defectTypes: [...defectTypes].sort(),
    counts,
    folders: [...folders.values()].sort(compareFolders),
  };
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const SPLIT_ORDER = ['', 'train', 'test'];

function compareFolders(a: SampleFolder, b: SampleFolder): number {
  const objects = SAMPLE_OBJECTS.map((o) => o.name);
  return (
    LAYOUTS.indexOf(a.layout) - LAYOUTS.indexOf(b.layout) ||
    objects.indexOf(a.object) - objects.indexOf(b.object) ||
    SPLIT_ORDER.indexOf(a.split ?? '') - SPLIT_ORDER.indexOf(b.split ?? '') ||
    (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0)
  );
}

export function manifestText(manifest: SampleManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Every file a sample output with this manifest consists of, relative to its folder. */
export function ownedFiles(manifest: Pick<SampleManifest, 'folders'>): string[] {
  const files = new Set<string>([MANIFEST_FILE]);
  for (const folder of manifest.folders) {
    files.add(classIdsPath(folder.layout, folder.object));
    for (let i = 0; i < folder.images; i++) {
      files.add(imagePath(folder, i));
      if (folder.folder !== GOOD) files.add(maskPath(folder, i));
    }
  }
  return [...files];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Reads the folder list of an earlier sample.json, or says why it is not one this version
 * can take over.  Names must be plain path segments, since files are removed by them.
 */
export function parsePreviousManifest(json: unknown): Pick<SampleManifest, 'folders' | 'version'> | string {
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== SAMPLE_FORMAT) return `not a sample dataset manifest (no "format": "${SAMPLE_FORMAT}")`;
  const { version, folders } = json as { version?: unknown; folders?: unknown };
  if (version !== SAMPLE_FORMAT_VERSION) return `written by another version of the generator (format version ${JSON.stringify(version)}, this one writes ${SAMPLE_FORMAT_VERSION})`;
  if (!Array.isArray(folders)) return 'no "folders" list';
  const out: SampleFolder[] = [];
  for (const f of folders as unknown[]) {
    const folder = f as Partial<SampleFolder>;
    const ok =
      typeof f === 'object' &&
      f !== null &&
      (folder.layout === 'synthetic' || folder.layout === 'mvtec') &&
      typeof folder.object === 'string' &&
      NAME.test(folder.object) &&
      typeof folder.folder === 'string' &&
      NAME.test(folder.folder) &&
      (folder.split === undefined || folder.split === 'train' || folder.split === 'test') &&
      Number.isInteger(folder.images) &&
      (folder.images as number) >= 0 &&
      (folder.images as number) <= 1_000_000;
    if (!ok) return `malformed folder entry ${JSON.stringify(f)}`;
    out.push(folder as SampleFolder);
  }
  return { version, folders: out };
}
