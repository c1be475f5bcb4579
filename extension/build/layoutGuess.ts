// The layout a source folder looks like, from the names two levels down, to show next to each
// source in Build Dataset (the server detects it again, fully, when it builds). Pure.
import { LAYOUT_NAMES } from './layoutNames';

/** Folder name → its subfolder names (the root is ''), files listed with a trailing '' entry not needed. */
export interface Listing {
  /** Names of the root's subfolders, and of their subfolders. */
  dirs: Map<string, string[]>;
  /** Files at the root and one level down, as 'a/b' paths. */
  files: Set<string>;
}

export type LayoutKind = keyof typeof LAYOUT_NAMES;

export function guessLayout(listing: Listing): LayoutKind | undefined {
  const top = listing.dirs.get('') ?? [];
  if (listing.files.has('split_csv/1cls.csv')) return 'visa';
  const sub = (d: string) => listing.dirs.get(d) ?? [];
  const mvtecObject = (children: string[]) => children.includes('test') && (children.includes('train') || children.includes('ground_truth'));
  if (mvtecObject(top) || top.some((d) => mvtecObject(sub(d)))) return 'mvtec';
  if (top.some((d) => sub(d).some((defect) => (listing.dirs.get(`${d}/${defect}`) ?? []).includes('image')))) return 'anomalydiffusion';
  if (top.length > 0) return 'generic';
  return undefined;
}

export function layoutLabel(kind: LayoutKind | undefined): string {
  return kind ? LAYOUT_NAMES[kind] : 'no known layout';
}
