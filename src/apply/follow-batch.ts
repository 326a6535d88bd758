/**
 * Polls an accepted batch until it has finished. A 404 shortly after creation
 * is the service not having registered the batch yet, so it is retried for a
 * grace period; after that the batch is reported lost.
 */
import type { Pressure } from "../async/aimd.js";
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
  /** Hears whether the tenant throttled the status requests (the limit on batches in flight). */
  pressure?: Pressure | undefined;
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
  const { pacer } = options;
  const started = Date.now();
  const paced = pacer.track(options.ids, options.acceptedAt);
  try {
    let delay = pacer.firstDelay(paced, Date.now());
    for (let attempt = 1; ; attempt++) {
      if (!pacer.guessing) await sleep(delay, options.halt);
      // Learnt from another batch while waiting on a guess: wait what is now expected instead.
      else if (await sleepUnlessLearning(pacer, delay, options.halt)) await sleep(pacer.firstDelay(paced, Date.now()), options.halt);
      if (options.halt?.aborted) throw new Halted("halted");
      const status = await api.getBatch(accepted, options.pressure);
      const elapsed = Date.now() - started;
      if (status?.results) {
        pacer.learn(paced, status.queueTime ?? accepted.queueTime, status.finishedTime, Date.now());
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
      delay = pacer.nextDelay(paced, delay, attempt, Date.now());
    }
  } finally {
    pacer.done(paced);
  }
}

/** Sleeps `ms`, or less if the pacer learns something first (then true). */
async function sleepUnlessLearning(pacer: PollPacer, ms: number, halt: AbortSignal | undefined): Promise<boolean> {
  const cut = new AbortController();
  const stop = () => cut.abort();
  if (halt?.aborted) stop();
  halt?.addEventListener("abort", stop, { once: true });
  try {
    const learnt = pacer.learning().then(() => {
      stop();
      return true;
    });
    return await Promise.race([learnt, sleep(ms, cut.signal).then(() => false)]);
  } finally {
    halt?.removeEventListener("abort", stop);
  }
}
