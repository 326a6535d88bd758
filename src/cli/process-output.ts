/**
 * stdout and stderr as decom writes to them. Two things a plain
 * `process.stdout.write` gets wrong at the edges of a pipeline:
 * - a pipe holds 64 KiB; the rest waits in this process, so exiting before it
 *   has drained cuts the output (`decom plan --json | jq` got 320 of 5,001 lines);
 * - a reader that goes away (`| head -1`) makes the next write fail with
 *   EPIPE, an 'error' event that would crash decom with its lock still held.
 */
import type { OutputStream } from "./io.js";

export class ProcessOutput implements OutputStream {
  private closed = false;
  /** Why writing stopped: EPIPE when the reader went away, else a real failure (ENOSPC on a full disk…). */
  failure: NodeJS.ErrnoException | undefined;

  /** `onClosed` runs once, when the reader has gone (or the stream failed otherwise). */
  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    onClosed: (err: Error) => void,
  ) {
    stream.on("error", (err: Error) => {
      if (this.closed) return;
      this.closed = true;
      this.failure = err;
      onClosed(err);
    });
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  /** The output was lost for another reason than a reader that chose to stop reading. */
  get failed(): boolean {
    return this.failure !== undefined && this.failure.code !== "EPIPE";
  }

  /** Whatever is written once the reader has gone is dropped: there is nobody to read it. */
  write(text: string): boolean {
    if (this.closed) return false;
    return this.stream.write(text);
  }

  /** Resolves when everything written so far has reached the reader, or the reader has gone. */
  flushed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.stream.write("", () => resolve()));
  }
}
