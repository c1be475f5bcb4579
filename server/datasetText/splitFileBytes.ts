// A split file's text handed to the lint worker as UTF-8 bytes in shared memory, and read back a
// line at a time.  The worker then never holds the whole text as one string: a string of tens of
// megabytes, made in one piece, could not be refused by the worker's heap limit without taking
// the whole process with it.

/** The text as UTF-8 in a SharedArrayBuffer (passed to a worker without a copy). */
export function sharedUtf8(text: string): Uint8Array {
  const bytes = new Uint8Array(new SharedArrayBuffer(Buffer.byteLength(text, 'utf8')));
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(text, 'utf8');
  return bytes;
}

export type ByteLine = { line: number; text: string } | { line: number; tooLong: number };

/** UTF-16 code units of the UTF-8 bytes [start, end) (a four-byte sequence is two). */
function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/**
 * The lines of the UTF-8 `bytes`, numbered from 0, as `text.split('\n')` gives them; a line of
 * more than `maxLineBytes` bytes is not decoded, only its length in characters is given.
 */
export function* byteLines(bytes: Uint8Array, maxLineBytes: number): Generator<ByteLine> {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let line = 0;
  let start = 0;
  for (;;) {
    const newline = view.indexOf(10, start);
    const end = newline < 0 ? view.length : newline;
    yield end - start > maxLineBytes ? { line, tooLong: utf16Length(view, start, end) } : { line, text: view.toString('utf8', start, end) };
    if (newline < 0) return;
    line++;
    start = newline + 1;
  }
}
