// Statistics of a dataset whose builder wrote no stats.md: the counts, descriptions and
// parameters of dataset.json, and the builder's own tables as the child server computes them
// from the split files (anomalyLens/datasetStats, partial).
import type { DatasetManifest } from '../../server/dataset/format';
import { SPLITS, splitFile } from '../../server/dataset/manifestText';
import type { DatasetStatsResult } from '../../server/rpc/protocol';
import { totals } from '../datasetTree/model';

/** What the server's statistics add: the tables, and the lines of the split files they leave out. */
export type StatisticsTables = Pick<DatasetStatsResult, 'markdown' | 'unreadable'>;

/** The tables while the server works them out, or why it could not. */
export type TablesPending = { computing: true } | { failed: string };

export const COMPUTING_NOTE = '*Computing the tables of the split files…*';

function cell(value: string | number): string {
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: (string | number)[][]): string[] {
  const row = (values: (string | number)[]) => `| ${values.map(cell).join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

export function renderStatisticsMarkdown(name: string, manifest: DatasetManifest, tables?: StatisticsTables | TablesPending): string {
  const lines: string[] = [`# Dataset statistics: ${name}`, ''];
  const origin = [
    `Built ${manifest.createdAt} by anomaly-lens ${manifest.tool.version}`,
    manifest.sources.length ? `from ${manifest.sources.map((s) => `${s.kind} \`${s.root}\``).join(', ')}` : undefined,
  ].filter(Boolean);
  lines.push(`${origin.join(' ')}.`, '');

  const all = totals(manifest);
  lines.push('## Splits (dataset.json)', '');
  lines.push(
    ...table(
      ['split', 'images', 'regions'],
      [...SPLITS.map((s) => [s, manifest.counts[s].images, manifest.counts[s].regions]), ['**all**', all.images, all.regions]],
    ),
    '',
  );

  if (tables && 'computing' in tables) lines.push(COMPUTING_NOTE, '');
  else if (tables && 'failed' in tables) lines.push(`*The tables of the split files could not be computed: ${cell(tables.failed)}*`, '');
  else if (tables) {
    lines.push(tables.markdown);
    const problems = SPLITS.flatMap((s) => (tables.unreadable?.[s] ?? []).map((p) => `- \`${splitFile(s)}\` ${p}`));
    if (problems.length) lines.push('## Unreadable lines (left out of the tables above)', '', ...problems, '');
  }

  lines.push('## Descriptions', '');
  lines.push(
    ...table(
      ['object', 'defect', 'description', 'provenance'],
      manifest.descriptions.map((d) => [d.object, d.defect, d.text, d.provenance.kind]),
    ),
    '',
  );
  lines.push('## Build parameters', '');
  lines.push(...table(['parameter', 'value'], Object.entries(manifest.parameters).map(([k, v]) => [k, String(v)])), '');
  return lines.join('\n');
}
