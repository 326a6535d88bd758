/**
 * When to look at a running batch again. Plain data and arithmetic: every
 * method is told the time, so the pacer can be tested without a clock.
 *
 * It learns two things from finished batches (their own queueTime and
 * finishedTime, on the server's clock):
 * - how long a batch takes from being queued to being done, per id (`ownMs`);
 * - how long the service works on a batch once it gets to it, per id
 *   (`serviceMs`): the time from its queueing, or from the previous batch's
 *   end if that was later, to its own end.
 * A service that works on one batch at a time (first come, first served) ends
 * each batch a service time after the one before it: the pacer chains the
 * batches in flight in the order they were accepted and expects each at the
 * end of its link. A service that runs batches side by side ends them sooner
 * than that chain says, about their own time after they were accepted. The
 * pacer expects a batch when the model that foretold the finished batches
 * better says (the chain until one has been judged). So the first poll lands
 * about when the batch is done on either kind of service, and it polls more
 * often while a batch is late, backing off to `maxMs`.
 *
 * Before anything is learned, the first batch in flight is polled after
 * `initialMs`, and the others wait for what it teaches (`learning`).
 */
export interface PacedBatch {
  readonly ids: number;
  /** When it was accepted, on the local clock (epoch ms). */
  readonly acceptedAt: number;
}

/** Service-time samples kept: the largest of them is used, so a side-by-side service's short links do not count. */
const SERVICE_SAMPLES = 8;
/** A poll aims this share of a batch's expected service time after its expected end. */
const MARGIN = 0.05;

export class PollPacer {
  private ownMs: number | undefined;
  private readonly serviceSamples: number[] = [];
  /** The batches being followed, in the order they were accepted. */
  private readonly inFlight: PacedBatch[] = [];
  /** The latest end of a finished batch, on the local clock. */
  private lastEnd = -Infinity;
  /** When that batch was accepted: the chain has no link for a batch accepted before it (it is done). */
  private lastEndAccepted = -Infinity;
  /** The server's finishedTime of that batch. */
  private lastServerEnd: number | undefined;
  private wake: { promise: Promise<void>; resolve: () => void } | undefined;
  /** How far off each model was about the batches that finished (moving average, ms). */
  private readonly missedBy = { alone: 0, chain: 0 };

  constructor(
    private readonly minMs = 20,
    private readonly maxMs = 5000,
    private readonly initialMs = 200,
  ) {}

  /** A batch is being followed from now on; `done` when it no longer is. */
  track(ids: number, acceptedAt: number): PacedBatch {
    const batch: PacedBatch = { ids, acceptedAt };
    let at = this.inFlight.length;
    while (at > 0 && (this.inFlight[at - 1] as PacedBatch).acceptedAt > acceptedAt) at--;
    this.inFlight.splice(at, 0, batch);
    return batch;
  }

  done(batch: PacedBatch): void {
    const at = this.inFlight.indexOf(batch);
    if (at >= 0) this.inFlight.splice(at, 1);
  }

  /** Nothing learned yet: delays are guesses. */
  get guessing(): boolean {
    return this.ownMs === undefined;
  }

  /** Resolves the next time the pacer learns something (for batches waiting on a guess). */
  learning(): Promise<void> {
    if (!this.wake) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.wake = { promise, resolve };
    }
    return this.wake.promise;
  }

  firstDelay(batch: PacedBatch, now: number): number {
    const expected = this.expectedEnd(batch);
    if (expected === undefined) {
      // The first batch in flight is the one that teaches; the others wait their turn, or until it has.
      const ahead = this.inFlight.indexOf(batch);
      return this.clamp(this.initialMs * (Math.max(0, ahead) + 1));
    }
    return this.clamp(expected - now);
  }

  /** After a poll that found the batch still running: when it is expected now, or sooner and sooner while it is late. */
  nextDelay(batch: PacedBatch, previous: number, attempt: number, now: number): number {
    const expected = this.expectedEnd(batch);
    if (expected !== undefined && expected - now >= this.minMs) return this.clamp(expected - now);
    return attempt === 1 ? this.clamp(previous / 4) : this.clamp(previous * 1.5);
  }

  /** A batch has finished: `now` is when its result was seen. */
  learn(batch: PacedBatch, queueTime: string | undefined, finishedTime: string | undefined, now: number): void {
    const queued = queueTime ? Date.parse(queueTime) : Number.NaN;
    const finished = finishedTime ? Date.parse(finishedTime) : Number.NaN;
    const duration = finished - queued;
    if (batch.ids === 0 || !Number.isFinite(duration) || duration < 0) return;
    // On the local clock it ended its own duration after it was accepted, and no later than it was seen.
    const end = Math.min(now, batch.acceptedAt + duration);
    const foretold = this.models(batch);
    if (foretold !== undefined) {
      this.missedBy.alone = 0.5 * this.missedBy.alone + 0.5 * Math.abs(foretold.alone - end);
      this.missedBy.chain = 0.5 * this.missedBy.chain + 0.5 * Math.abs(foretold.chain - end);
    }
    const own = duration / batch.ids;
    this.ownMs = this.ownMs === undefined ? own : 0.5 * this.ownMs + 0.5 * own;
    const serviceStart = this.lastServerEnd !== undefined && this.lastServerEnd > queued ? this.lastServerEnd : queued;
    if (finished >= serviceStart) {
      this.serviceSamples.push((finished - serviceStart) / batch.ids);
      if (this.serviceSamples.length > SERVICE_SAMPLES) this.serviceSamples.shift();
    }
    if (this.lastServerEnd === undefined || finished > this.lastServerEnd) this.lastServerEnd = finished;
    if (end > this.lastEnd) {
      this.lastEnd = end;
      this.lastEndAccepted = batch.acceptedAt;
    }
    this.wake?.resolve();
    this.wake = undefined;
  }

  /** When the batch should be done (local epoch ms, with a margin), or undefined while nothing is learned. */
  private expectedEnd(batch: PacedBatch): number | undefined {
    const models = this.models(batch);
    if (models === undefined) return undefined;
    const end = this.missedBy.alone < this.missedBy.chain ? models.alone : models.chain;
    return end + models.link * MARGIN;
  }

  /**
   * When each model says the batch ends: on its own, and at the end of its link
   * in the chain; and how long the service works on it (`link`).
   */
  private models(batch: PacedBatch): { alone: number; chain: number; link: number } | undefined {
    if (this.ownMs === undefined) return undefined;
    const alone = batch.acceptedAt + this.ownMs * batch.ids;
    const service = Math.max(...this.serviceSamples, 0);
    const link = Math.min(service || this.ownMs, this.ownMs) * batch.ids;
    let end = this.lastEnd;
    for (const b of this.inFlight) {
      // Accepted before the latest batch to end: done already, when the service takes them in turn.
      if (b.acceptedAt < this.lastEndAccepted) {
        if (b === batch) return { alone, chain: this.lastEnd, link };
        continue;
      }
      end = Math.max(end, b.acceptedAt) + service * b.ids;
      if (b === batch) return { alone, chain: end, link };
    }
    // Not followed (any more): it stands alone.
    return { alone, chain: alone, link };
  }

  private clamp(ms: number): number {
    return Math.min(this.maxMs, Math.max(this.minMs, Math.round(ms)));
  }
}
