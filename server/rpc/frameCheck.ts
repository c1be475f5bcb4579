// Follows the framing of the bytes the client sends (`Content-Length: N\r\n\r\n` then N bytes)
// beside vscode-jsonrpc's reader, and names the first header that cannot be read.  That reader
// reports a broken header and then waits for ever, out of step with the stream; the server
// exits instead, so that the client starts a new one (see main.ts).

/** No header section of the protocol comes near this. */
export const MAX_HEADER_BYTES = 8192;
/** Larger messages cannot be decoded into one string. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

const END = Buffer.from('\r\n\r\n', 'ascii');

export class FrameChecker {
  private header = Buffer.alloc(0);
  /** Bytes of the current message's body still to come; -1 while a header is read. */
  private bodyLeft = -1;
  private brokenWith: string | undefined;

  /** Takes the next chunk; returns why the stream is broken, once it is. */
  push(chunk: Buffer): string | undefined {
    let at = 0;
    while (this.brokenWith === undefined && at < chunk.length) {
      if (this.bodyLeft >= 0) {
        const take = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= take;
        at += take;
        if (this.bodyLeft === 0) this.bodyLeft = -1;
        continue;
      }
      // Only the few bytes that may finish a header's end are kept between chunks.
      const before = this.header.length;
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + MAX_HEADER_BYTES + END.length)]);
      const end = this.header.indexOf(END);
      if (end < 0) {
        if (this.header.length > MAX_HEADER_BYTES) this.brokenWith = `a header longer than ${MAX_HEADER_BYTES} bytes`;
        at += this.header.length - before;
        continue;
      }
      at += end + END.length - before;
      this.brokenWith = this.readHeader(this.header.subarray(0, end).toString('latin1'));
      this.header = Buffer.alloc(0);
    }
    return this.brokenWith;
  }

  /** Checks a header section as vscode-jsonrpc reads it; on success the body comes next. */
  private readHeader(text: string): string | undefined {
    let length: string | undefined;
    for (const line of text.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) return `a header line without ':' (${JSON.stringify(line.slice(0, 80))})`;
      if (line.slice(0, colon).toLowerCase() === 'content-length') length = line.slice(colon + 1).trim();
    }
    if (length === undefined) return 'no Content-Length header';
    if (!/^\d+$/.test(length)) return `Content-Length ${JSON.stringify(length.slice(0, 80))} is not a byte count`;
    if (length.length > 12 || Number(length) > MAX_MESSAGE_BYTES) return `Content-Length ${length.slice(0, 80)} is larger than ${MAX_MESSAGE_BYTES} bytes`;
    this.bodyLeft = Number(length) > 0 ? Number(length) : -1;
    return undefined;
  }
}
