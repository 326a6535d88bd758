/**
 * Polls an accepted batch until it has finished. A 404 shortly after creation
 * is the service not having registered the batch yet, so it is retried for a
 * grace period; after that the batch is reported lost.
 */
import { sleep } from "../async/sleep.js";
import type { WaylayApi } from "../waylay/client.js";
import type { BatchAccepted, BatchStatus } from "../waylay/wire.js";
import type { PollPacer } from "./poll-pacer.js";

export interface FollowOptions {
  pacer: PollPacer;
  ids: number;
  /** When the batch was accepted (epoch ms): a 404 for longer than `notFoundGraceMs` after it means the service does not know it. */
  acceptedAt: number;
  notFoundGraceMs: number;
  timeoutMs: number;
  /** Stop following at once (second Ctrl-C): the batch stays in flight. */
  halt?: AbortSignal | undefined;
}

/** The batch could not be seen to its end: it stays in flight for the next run to follow. */
export class BatchFollowError extends Error {
  override name = "BatchFollowError";
}

/** The service answers 404 for the batch long after accepting it: it no longer knows it. */
export class BatchUnknownError extends BatchFollowError {
  override name = "BatchUnknownError";
}

/** Following was stopped on purpose. */
export class Halted extends Error {
  override name = "Halted";
}

export async function followBatch(api: WaylayApi, accepted: BatchAccepted, options: FollowOptions): Promise<BatchStatus> {
  const started = Date.now();
  let delay = options.pacer.firstDelay(options.ids);
  for (let attempt = 1; ; attempt++) {
    await sleep(delay, options.halt);
    if (options.halt?.aborted) throw new Halted("halted");
    const status = await api.getBatch(accepted);
    const elapsed = Date.now() - started;
    if (status?.results) {
      options.pacer.learn(options.ids, status.queueTime ?? accepted.queueTime, status.finishedTime);
      return status;
    }
    const sinceAccepted = Date.now() - options.acceptedAt;
    if (status === null && sinceAccepted > options.notFoundGraceMs) {
      throw new BatchUnknownError(
        `the service does not know batch ${accepted.batchId} (404, ${Math.round(sinceAccepted / 1000)} s after it was accepted)`,
      );
    }
    if (elapsed > options.timeoutMs) {
      throw new BatchFollowError(`batch ${accepted.batchId} has not finished after ${Math.round(elapsed / 1000)} s`);
    }
    delay = options.pacer.nextDelay(delay, attempt);
  }
}
