// @pure: a message writer whose failed writes do not reject, for both ends of the child server's
// stdio.  vscode-jsonrpc 8 rethrows a failed request write from inside a promise executor, where
// nothing can catch it (an unhandled rejection); the failure is still reported through onError,
// and the other side's end is noticed by its process exit or the reader closing.
import type { Message, MessageWriter } from 'vscode-jsonrpc';

export class QuietMessageWriter implements MessageWriter {
  /** `inner` writes the messages (a StreamMessageWriter over the stream). */
  constructor(private readonly inner: MessageWriter) {}

  get onError(): MessageWriter['onError'] {
    return this.inner.onError;
  }

  get onClose(): MessageWriter['onClose'] {
    return this.inner.onClose;
  }

  write(msg: Message): Promise<void> {
    return this.inner.write(msg).catch(() => undefined);
  }

  end(): void {
    this.inner.end();
  }

  dispose(): void {
    this.inner.dispose();
  }
}
