// Quick fixes as text edits on a record's line.
import type { FileFacts, QuickFix, SplitDiagnostic, TextEdit } from './types';
import type { SplitRecord } from './parseSplitFile';
import { lineRange } from './range';

export type { QuickFix, TextEdit };

/** Replaces the region's bbox with the one its mask's facts give. */
export function recomputeBbox(record: SplitRecord, region: number, facts: FileFacts): TextEdit | undefined {
  const field = record.regions[region]?.fields.bbox;
  return field && facts.bbox ? { range: field.value, newText: JSON.stringify(facts.bbox) } : undefined;
}

/** Replaces the region's area with the one its mask's facts give. */
export function recomputeArea(record: SplitRecord, region: number, facts: FileFacts): TextEdit | undefined {
  const field = record.regions[region]?.fields.area;
  return field && facts.area !== undefined ? { range: field.value, newText: String(facts.area) } : undefined;
}

/** Removes element `region` of `regions` with the comma that separates it, so the line stays valid JSON. */
export function dropRegion(record: SplitRecord, region: number): TextEdit | undefined {
  const regions = record.fields.regions?.node;
  if (regions?.kind !== 'array' || !regions.items[region]) return undefined;
  const items = regions.items;
  const item = items[region];
  const [start, end] =
    region + 1 < items.length ? [item.start, items[region + 1].start] : region > 0 ? [items[region - 1].end, item.end] : [item.start, item.end];
  return { range: lineRange(record.line, start, end), newText: '' };
}

/** The fixes offered for a diagnostic; `facts` looks up what the server knows of a path. */
export function quickFixes(record: SplitRecord, diagnostic: SplitDiagnostic, facts: (path: string) => FileFacts | undefined): QuickFix[] {
  const i = diagnostic.region;
  if (i === undefined) return [];
  const mask = record.regions[i]?.fields.mask?.node.value;
  const maskFacts = typeof mask === 'string' ? facts(mask) : undefined;
  const fixes: QuickFix[] = [];
  const push = (title: string, edit: TextEdit | undefined) => edit && fixes.push({ title, edits: [edit] });
  switch (diagnostic.code) {
    case 'bbox-mismatch':
    case 'area-mismatch': {
      if (!maskFacts) break;
      const both = [recomputeBbox(record, i, maskFacts), recomputeArea(record, i, maskFacts)].filter((e): e is TextEdit => !!e);
      if (diagnostic.code === 'bbox-mismatch') push('Recompute the bounding box from the mask', recomputeBbox(record, i, maskFacts));
      else push('Recompute the area from the mask', recomputeArea(record, i, maskFacts));
      if (both.length === 2) fixes.push({ title: 'Recompute bounding box and area from the mask', edits: both });
      break;
    }
    case 'mask-missing':
      push(`Drop region ${i} (its mask is missing)`, dropRegion(record, i));
      break;
  }
  return fixes;
}

/** Applies edits on one line (edits must not overlap). */
export function applyLineEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start.character - a.range.start.character)) {
    out = out.slice(0, e.range.start.character) + e.newText + out.slice(e.range.end.character);
  }
  return out;
}
