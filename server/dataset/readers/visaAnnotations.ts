// VisA's per-object `image_anno.csv` (columns image,label,mask): the defect names of each
// image as text, several separated by commas ("melt, scratch"); "normal" for good images.
import { promises as fs } from 'node:fs';
import { errorMessage } from '../../util/errors';
import { columnIndex, parseCsv } from './csv';
import type { ProblemLog } from './problems';

export const VISA_ANNOTATIONS_FILE = 'image_anno.csv';

/** A manifest path in one spelling: forward slashes, no leading `./`. */
export function normalizeManifestPath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** The defect names of a label text, without "normal", duplicates or blanks. */
export function parseLabelText(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '' && s.toLowerCase() !== 'normal');
  return [...new Set(names)];
}

/**
 * Image path (as written in the file, normalised) -> defect names.  A missing file gives
 * `undefined` silently; an unreadable or malformed one is reported and gives `undefined`.
 */
export async function readVisaAnnotations(file: string, problems: ProblemLog): Promise<Map<string, string[]> | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') problems.warning(file, `cannot read defect labels: ${errorMessage(err)}; ignored`);
    return undefined;
  }
  try {
    const [header, ...rows] = parseCsv(text);
    if (!header) throw new Error('empty file');
    const col = columnIndex(header.fields, ['image', 'label']);
    const labels = new Map<string, string[]>();
    for (const { fields } of rows) {
      const image = normalizeManifestPath(fields[col.image] ?? '');
      if (image !== '') labels.set(image, parseLabelText(fields[col.label] ?? ''));
    }
    return labels;
  } catch (err) {
    problems.warning(file, `malformed defect labels (${errorMessage(err)}); ignored`);
    return undefined;
  }
}
