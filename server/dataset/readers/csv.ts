// A CSV parser for the dataset manifests (RFC 4180: comma separated, fields quoted with
// double quotes, a doubled quote inside quotes is a quote; LF or CRLF line ends).

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/** Parses CSV text; blank lines are skipped.  Throws on an unterminated quoted field. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ fields, line: start });
    fields = [];
    field = '';
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '"' && field === '') {
      const open = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`line ${open}: quoted field is not closed`);
        if (src[i] === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (src[i] === '\n') line++;
        field += src[i++];
      }
    } else if (c === ',') {
      fields.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * Column positions by header name (trimmed, case-insensitive); throws naming the missing
 * columns.
 */
export function columnIndex<K extends string>(header: readonly string[], wanted: readonly K[]): Record<K, number> {
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = wanted.filter((w) => !names.includes(w));
  if (missing.length > 0) throw new Error(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header: ${header.join(',')})`);
  return Object.fromEntries(wanted.map((w) => [w, names.indexOf(w)])) as Record<K, number>;
}
