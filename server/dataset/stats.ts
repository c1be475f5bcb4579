// Dataset statistics laid out like the paper's Tables 1 and 2: records -> tables -> Markdown.
import { escapeMarkdownCell } from '../util/markdown';
import type { ImageRecord } from './format';
import type { CountRow, DatasetStats, DefectRow, SplitCounts } from './statsTypes';
import { SPLITS } from './manifestText';
import type { Split } from './types';

const SPLIT_TITLES: Record<Split, string> = { train: 'Train', val: 'Validation', test: 'Test' };

export type { CountRow, DatasetStats, DefectRow, SplitCounts } from './statsTypes';

function zero(): SplitCounts {
  return { train: 0, val: 0, test: 0 };
}

function row(label: string, counts: SplitCounts): CountRow {
  return { label, counts, total: SPLITS.reduce((sum, s) => sum + counts[s], 0) };
}

function totalRow(rows: readonly { counts: SplitCounts }[]): CountRow {
  const counts = zero();
  for (const r of rows) for (const s of SPLITS) counts[s] += r.counts[s];
  return row('Total', counts);
}

export function regionBucket(regions: number): string {
  return regions >= 4 ? '4+' : String(regions);
}

export function computeStats(records: Record<Split, readonly ImageRecord[]>, goodImages: Record<string, number> = {}): DatasetStats {
  const perObject = new Map<string, SplitCounts>();
  const perBucket = new Map<string, SplitCounts>(['1', '2', '3', '4+'].map((b) => [b, zero()]));
  const perDefect = new Map<string, DefectRow>();
  for (const split of SPLITS) {
    for (const record of records[split]) {
      let o = perObject.get(record.object);
      if (!o) perObject.set(record.object, (o = zero()));
      o[split]++;
      const bucket = regionBucket(record.regions.length);
      let b = perBucket.get(bucket);
      if (!b) perBucket.set(bucket, (b = zero()));
      b[split]++;
      for (const region of record.regions) {
        const key = `${record.object}\0${region.defect}`;
        let d = perDefect.get(key);
        if (!d) perDefect.set(key, (d = { object: record.object, defect: region.defect, counts: zero(), total: 0 }));
        d.counts[split]++;
        d.total++;
      }
    }
  }
  const objects = [...perObject.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, counts]) => row(name, counts));
  const regionsPerImage = [...perBucket.entries()]
    .sort(([a], [b]) => parseInt(a, 10) - parseInt(b, 10))
    .map(([bucket, counts]) => row(bucket, counts));
  const defects = [...perDefect.values()].sort((a, b) => a.object.localeCompare(b.object) || a.defect.localeCompare(b.defect));
  return {
    objects,
    objectsTotal: totalRow(objects),
    regionsPerImage,
    regionsPerImageTotal: totalRow(regionsPerImage),
    defects,
    defectsTotal: totalRow(defects),
    goodImages: { ...goodImages },
  };
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function table(header: string[], rows: string[][], rightFrom: number): string {
  const align = header.map((_, i) => (i >= rightFrom ? '---:' : '---'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function countCells(r: CountRow | DefectRow): string[] {
  return SPLITS.map((s) => n(r.counts[s]));
}

export function statsMarkdown(stats: DatasetStats): string {
  const splitHeader = SPLITS.map((s) => SPLIT_TITLES[s]);
  const bold = (r: CountRow) => [`**${r.label}**`, ...SPLITS.map((s) => `**${n(r.counts[s])}**`)];
  const parts = [
    '## Images per object (Table 1)',
    '',
    table(['Object', ...splitHeader], [...stats.objects.map((r) => [escapeMarkdownCell(r.label), ...countCells(r)]), bold(stats.objectsTotal)], 1),
    '',
    '## Images by number of regions (Table 2)',
    '',
    table(['Number of regions', ...splitHeader], [...stats.regionsPerImage.map((r) => [r.label, ...countCells(r)]), bold(stats.regionsPerImageTotal)], 1),
    '',
    '## Regions per defect class',
    '',
    table(
      ['Object', 'Defect', ...splitHeader, 'Total'],
      [
        ...stats.defects.map((r) => [escapeMarkdownCell(r.object), escapeMarkdownCell(r.defect), ...countCells(r), n(r.total)]),
        ['**Total**', '', ...SPLITS.map((s) => `**${n(stats.defectsTotal.counts[s])}**`), `**${n(stats.defectsTotal.total)}**`],
      ],
      2,
    ),
  ];
  const good = Object.entries(stats.goodImages).sort(([a], [b]) => a.localeCompare(b));
  if (good.length > 0) {
    parts.push(
      '',
      '## Normal images in the sources (no regions, not in the splits)',
      '',
      table(['Object', 'Images'], [...good.map(([o, c]) => [escapeMarkdownCell(o), n(c)]), ['**Total**', `**${n(good.reduce((s, [, c]) => s + c, 0))}**`]], 1),
    );
  }
  return `${parts.join('\n')}\n`;
}
