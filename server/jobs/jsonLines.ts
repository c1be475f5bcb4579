import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines as chunks arrive: a chunk may end inside a line or inside a
 * UTF-8 character. Lines come without their `\n` (a `\r` before it is dropped too); empty lines
 * are skipped.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** The lines completed by this chunk. */
  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    return clean(parts);
  }

  /** The last line, when the stream ended without a newline. */
  end(): string[] {
    const last = this.pending + this.decoder.end();
    this.pending = '';
    return clean([last]);
  }
}

function clean(lines: string[]): string[] {
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line)).filter((line) => line.trim() !== '');
}
