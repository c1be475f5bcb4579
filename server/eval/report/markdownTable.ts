// A table as GitHub Markdown with padded columns, readable as plain text in a terminal or CI log.
import { escapeMarkdownCell as escapeCell } from '../../util/markdown';
import type { Table } from './tables';

export function markdownTable(table: Table): string {
  const cells = [table.header, ...table.rows].map((row, r) =>
    table.header.map((_, c) => {
      const text = escapeCell(row[c] ?? '');
      return r - 1 === table.totalRow && text !== '' ? `**${text}**` : text;
    }),
  );
  const widths = table.header.map((_, c) => Math.max(3, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c >= table.numericFrom ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (c >= table.numericFrom ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}
