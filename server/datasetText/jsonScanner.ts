// @pure: JSON read with the positions of its values, for the engine's split-file checks and the language features.
// A JSON parser that keeps where every value and key lies in the text (JSON.parse keeps no
// positions).  It accepts exactly JSON (RFC 8259) and reports the first offending character or
// token instead of throwing.  Offsets are UTF-16 indices into the scanned text.

export interface JsonProperty {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

interface NodeBase {
  start: number;
  end: number;
  /** The plain value, as JSON.parse gives it. */
  value: unknown;
}

export interface ObjectNode extends NodeBase {
  kind: 'object';
  properties: JsonProperty[];
}

export interface ArrayNode extends NodeBase {
  kind: 'array';
  items: JsonNode[];
}

export interface ScalarNode extends NodeBase {
  kind: 'string' | 'number' | 'boolean' | 'null';
}

export type JsonNode = ObjectNode | ArrayNode | ScalarNode;

export interface JsonSyntaxError {
  message: string;
  start: number;
  end: number;
}

export type ScanResult = { node: JsonNode; error?: undefined } | { node?: undefined; error: JsonSyntaxError };

class ScanFailure {
  constructor(readonly error: JsonSyntaxError) {}
}

const enum Ch {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  UpperE = 69,
  OpenBrace = 123,
  CloseBrace = 125,
}

function isDigitAt(t: string, k: number, end: number): boolean {
  if (k >= end) return false;
  const c = t.charCodeAt(k);
  return c >= Ch.Zero && c <= Ch.Nine;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Scanner {
  pos: number;

  constructor(
    readonly text: string,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  fail(message: string, start = this.pos, end = Math.min(start + 1, this.end)): never {
    throw new ScanFailure({ message, start, end: Math.max(end, start) });
  }

  /** Describes the token at the current position for messages. */
  here(): string {
    if (this.pos >= this.end) return 'end of line';
    const m = /^(?:[A-Za-z0-9_.+-]+|.)/su.exec(this.text.slice(this.pos, Math.min(this.pos + 20, this.end)));
    return `'${m ? m[0] : this.text[this.pos]}'`;
  }

  unexpected(expected: string): never {
    const m = this.pos < this.end ? /^[A-Za-z0-9_.+-]+/.exec(this.text.slice(this.pos, Math.min(this.pos + 40, this.end))) : null;
    this.fail(`expected ${expected}, found ${this.here()}`, this.pos, this.pos + (m ? m[0].length : 1));
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c === Ch.Space || c === Ch.Tab || c === Ch.Newline || c === Ch.Return) this.pos++;
      else break;
    }
  }

  value(): JsonNode {
    this.skipSpace();
    if (this.pos >= this.end) this.unexpected('a value');
    const c = this.text.charCodeAt(this.pos);
    if (c === Ch.OpenBrace) return this.object();
    if (c === Ch.OpenBracket) return this.array();
    if (c === Ch.Quote) {
      const start = this.pos;
      const value = this.string();
      return { kind: 'string', start, end: this.pos, value };
    }
    if (c === Ch.Minus || (c >= Ch.Zero && c <= Ch.Nine)) return this.number();
    if (this.text.startsWith('true', this.pos)) return this.literal('boolean', 4, true);
    if (this.text.startsWith('false', this.pos)) return this.literal('boolean', 5, false);
    if (this.text.startsWith('null', this.pos)) return this.literal('null', 4, null);
    this.unexpected('a value');
  }

  literal(kind: 'boolean' | 'null', length: number, value: boolean | null): ScalarNode {
    const start = this.pos;
    if (start + length > this.end) this.unexpected('a value');
    this.pos += length;
    return { kind, start, end: this.pos, value };
  }

  object(): ObjectNode {
    const start = this.pos++;
    const properties: JsonProperty[] = [];
    const value: Record<string, unknown> = {};
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === Ch.CloseBrace && this.pos < this.end) {
      this.pos++;
      return { kind: 'object', start, end: this.pos, properties, value };
    }
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.end || this.text.charCodeAt(this.pos) !== Ch.Quote) this.unexpected('a property name in double quotes');
      const keyStart = this.pos;
      const key = this.string();
      const keyEnd = this.pos;
      this.skipSpace();
      if (this.pos >= this.end || this.text.charCodeAt(this.pos) !== Ch.Colon) this.unexpected("':' after the property name");
      this.pos++;
      const node = this.value();
      properties.push({ key, keyStart, keyEnd, value: node });
      // JSON.parse makes a "__proto__" key an ordinary property; plain assignment would set the prototype.
      if (key === '__proto__') Object.defineProperty(value, key, { value: node.value, writable: true, enumerable: true, configurable: true });
      else value[key] = node.value;
      this.skipSpace();
      const c = this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
      if (c === Ch.Comma) {
        this.pos++;
        continue;
      }
      if (c === Ch.CloseBrace) {
        this.pos++;
        return { kind: 'object', start, end: this.pos, properties, value };
      }
      this.unexpected("',' or '}'");
    }
  }

  array(): ArrayNode {
    const start = this.pos++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === Ch.CloseBracket && this.pos < this.end) {
      this.pos++;
      return { kind: 'array', start, end: this.pos, items, value: [] };
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const c = this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
      if (c === Ch.Comma) {
        this.pos++;
        continue;
      }
      if (c === Ch.CloseBracket) {
        this.pos++;
        return { kind: 'array', start, end: this.pos, items, value: items.map((n) => n.value) };
      }
      this.unexpected("',' or ']'");
    }
  }

  /** Reads a string starting at the opening quote; leaves pos after the closing one. */
  string(): string {
    const t = this.text;
    const open = this.pos;
    let i = open + 1;
    let chunkStart = i;
    let out = '';
    while (i < this.end) {
      const c = t.charCodeAt(i);
      if (c === Ch.Quote) {
        this.pos = i + 1;
        return out + t.slice(chunkStart, i);
      }
      if (c === Ch.Backslash) {
        out += t.slice(chunkStart, i);
        const e = t[i + 1];
        if (i + 1 >= this.end) this.fail('unterminated string', open, this.end);
        if (e === 'u') {
          const hex = t.slice(i + 2, i + 6);
          if (i + 6 > this.end || !/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape', i, Math.min(i + 6, this.end));
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          const decoded = ESCAPES[e];
          if (decoded === undefined) this.fail(`invalid escape '\\${e}'`, i, i + 2);
          out += decoded;
          i += 2;
        }
        chunkStart = i;
        continue;
      }
      if (c < Ch.Space) this.fail('control character in string (escape it)', i);
      i++;
    }
    this.fail('unterminated string', open, this.end);
  }

  number(): ScalarNode {
    const t = this.text;
    const start = this.pos;
    let i = start;
    const end = this.end;
    if (t.charCodeAt(i) === Ch.Minus) i++;
    if (!isDigitAt(t, i, end)) this.fail('expected a digit', i);
    if (t.charCodeAt(i) === Ch.Zero) {
      i++;
      if (isDigitAt(t, i, end)) this.fail('a number must not start with 0', start, i + 1);
    } else while (isDigitAt(t, i, end)) i++;
    if (i < this.end && t.charCodeAt(i) === Ch.Dot) {
      i++;
      if (!isDigitAt(t, i, end)) this.fail('expected a digit after the decimal point', i);
      while (isDigitAt(t, i, end)) i++;
    }
    const e = i < this.end ? t.charCodeAt(i) : -1;
    if (e === Ch.LowerE || e === Ch.UpperE) {
      i++;
      const s = i < this.end ? t.charCodeAt(i) : -1;
      if (s === Ch.Plus || s === Ch.Minus) i++;
      if (!isDigitAt(t, i, end)) this.fail('expected a digit in the exponent', i);
      while (isDigitAt(t, i, end)) i++;
    }
    this.pos = i;
    return { kind: 'number', start, end: i, value: Number(t.slice(start, i)) };
  }
}

/** Parses the JSON value in `text[start, end)` (all of it by default); whitespace around it is allowed. */
export function scanJson(text: string, start = 0, end = text.length): ScanResult {
  const s = new Scanner(text, start, end);
  try {
    const node = s.value();
    s.skipSpace();
    if (s.pos < end) s.fail(`unexpected ${s.here()} after the value`, s.pos, end);
    return { node };
  } catch (err) {
    if (err instanceof ScanFailure) return { error: err.error };
    // Nesting deep enough to overflow the stack is malformed input too.
    if (err instanceof RangeError) return { error: { message: 'nesting too deep', start: s.pos, end: Math.min(s.pos + 1, end) } };
    throw err;
  }
}

/** The property of an object node named `key` (the last one, as JSON.parse keeps). */
export function propertyOf(node: JsonNode | undefined, key: string): JsonProperty | undefined {
  if (!node || node.kind !== 'object') return undefined;
  for (let i = node.properties.length - 1; i >= 0; i--) if (node.properties[i].key === key) return node.properties[i];
  return undefined;
}
