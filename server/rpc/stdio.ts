// stdout carries the protocol and nothing else: the message writer gets the real stdout, and
// anything else written to process.stdout (console.log, a library's output) goes to stderr,
// which the client logs.
import { Writable } from 'node:stream';

export function claimStdout(): Writable {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout) as (chunk: Buffer | string, callback: (err?: Error | null) => void) => boolean;
  const protocol = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      write(chunk, (err) => callback(err ?? null));
    },
  });
  stdout.on('error', (err) => protocol.destroy(err));
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  return protocol;
}

/** One line on stderr, prefixed so that it reads well in the client's log. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
