// @pure: a split file's records with the ranges of their fields.
// Turns the text of a split file (train.jsonl, val.jsonl, test.jsonl: one image record per
// line) into records that know where each field and each region field lies.
import { type JsonNode, scanJson } from './jsonScanner';
import { type Range, lineRange } from './range';

export interface FieldRanges {
  key: Range;
  value: Range;
  node: JsonNode;
}

export interface RegionRanges {
  index: number;
  range: Range;
  node: JsonNode;
  /** Each property of the region object by name (empty when the element is not an object). */
  fields: Record<string, FieldRanges | undefined>;
}

/**
 * One parsed line.  Field and region ranges are worked out when first asked for: a file of
 * 100,000 lines keeps only its syntax trees until a provider looks at a record.
 */
export class SplitRecord {
  private fieldsCache?: Record<string, FieldRanges | undefined>;
  private regionsCache?: RegionRanges[];

  constructor(
    /** 0-based line. */
    readonly line: number,
    readonly node: JsonNode,
  ) {}

  /** The record's JSON value on its line. */
  get range(): Range {
    return lineRange(this.line, this.node.start, this.node.end);
  }

  /** The parsed line, as JSON.parse gives it. */
  get value(): unknown {
    return this.node.value;
  }

  get fields(): Record<string, FieldRanges | undefined> {
    return (this.fieldsCache ??= fieldsOf(this.node, this.line));
  }

  /** The elements of `regions` when it is an array. */
  get regions(): RegionRanges[] {
    if (!this.regionsCache) {
      const regionsNode = this.fields.regions?.node;
      const line = this.line;
      this.regionsCache =
        regionsNode?.kind === 'array'
          ? regionsNode.items.map((item, index) => ({ index, range: lineRange(line, item.start, item.end), node: item, fields: fieldsOf(item, line) }))
          : [];
    }
    return this.regionsCache;
  }
}

export interface SplitSyntaxError {
  line: number;
  range: Range;
  message: string;
  /** Set for a line too long to be read at all. */
  tooLong?: true;
}

export interface ParsedSplitFile {
  records: SplitRecord[];
  errors: SplitSyntaxError[];
}

function fieldsOf(node: JsonNode, line: number): Record<string, FieldRanges | undefined> {
  const fields: Record<string, FieldRanges | undefined> = Object.create(null);
  if (node.kind !== 'object') return fields;
  for (const p of node.properties) {
    fields[p.key] = { key: lineRange(line, p.keyStart, p.keyEnd), value: lineRange(line, p.value.start, p.value.end), node: p.value };
  }
  return fields;
}

/** Parses one line; blank lines give nothing, as the engine skips them. */
export function parseSplitLine(text: string, line: number): SplitRecord | SplitSyntaxError | undefined {
  const scanned = scanJson(text);
  if (scanned.error) {
    if (text.trim() === '') return undefined;
    return { line, range: lineRange(line, scanned.error.start, scanned.error.end), message: `not valid JSON: ${scanned.error.message}` };
  }
  return new SplitRecord(line, scanned.node);
}

export function isSyntaxError(x: SplitRecord | SplitSyntaxError): x is SplitSyntaxError {
  return !(x instanceof SplitRecord);
}

/** The lines of `text`, numbered from 0, as `text.split('\n')` gives them, one at a time. */
export function* splitLines(text: string): Generator<[number, string]> {
  let line = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    yield [line++, text.slice(start, end)];
    start = end + 1;
  }
  yield [line, text.slice(start)];
}

/** Adds line `i` to `into`, as a record or a syntax error (a blank line adds nothing). */
export function addSplitLine(into: ParsedSplitFile, text: string, i: number): void {
  const parsed = parseSplitLine(text, i);
  if (!parsed) return;
  if (isSyntaxError(parsed)) into.errors.push(parsed);
  else into.records.push(parsed);
}

export function parseSplitFile(text: string): ParsedSplitFile {
  const parsed: ParsedSplitFile = { records: [], errors: [] };
  for (const [i, line] of splitLines(text)) addSplitLine(parsed, line, i);
  return parsed;
}

/** The records and the malformed lines of a parsed file (or chunk), in line order. */
export function* inLineOrder(parsed: ParsedSplitFile): Generator<SplitRecord | SplitSyntaxError> {
  const { records, errors } = parsed;
  let r = 0;
  let e = 0;
  while (r < records.length || e < errors.length) {
    if (e >= errors.length || (r < records.length && records[r].line < errors[e].line)) yield records[r++];
    else yield errors[e++];
  }
}
