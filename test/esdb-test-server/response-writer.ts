/**
 * Writes a server stream's responses with backpressure: a reader that stops reading (a catch-up
 * consumer busy with an event) makes the writer wait instead of buffering the whole log in memory,
 * which is what HTTP/2 flow control does to the real server too.
 */
import { once } from 'node:events';
import { ServerWritableStream } from '@grpc/grpc-js';

export class ResponseWriter<Response> {
  private isCancelled = false;
  private readonly cancelledSignal: Promise<void>;

  constructor(private readonly call: ServerWritableStream<unknown, Response>) {
    this.cancelledSignal = new Promise<void>((resolve) => {
      const cancel = () => {
        this.isCancelled = true;
        resolve();
      };
      call.once('cancelled', cancel);
      call.once('close', cancel);
      call.once('error', cancel);
    });
  }

  get cancelled(): boolean {
    return this.isCancelled;
  }

  /** Settles when the client cancels the call or the server shuts it down. */
  whenCancelled(): Promise<void> {
    return this.cancelledSignal;
  }

  async write(response: Response): Promise<void> {
    if (this.isCancelled) return;
    if (this.call.write(response)) return;
    // A call that fails while we wait counts as cancelled; `once` would reject with its error.
    await Promise.race([once(this.call, 'drain').catch(() => undefined), this.cancelledSignal]);
  }

  end(): void {
    if (!this.isCancelled) this.call.end();
  }
}
