// Text placed in a Markdown table cell: a `|` would end the cell and a line break the row.
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
