/**
 * How many requests (or batches) may be in flight at once, when the tenant
 * limits it: additive increase, multiplicative decrease. A 429 or 503 halves
 * the allowance (never below 1); each answer that was not one adds back
 * 1 / allowance, so a whole allowance's worth of answers adds 1, up to `max`.
 * One burst of throttled answers halves it once: an answer to a request sent
 * before the last halving says nothing new. Retry-After is the transport's
 * business; a request that waits it out gives its place to another meanwhile
 * (`waitOut`): only requests on their way count as in flight.
 *
 * No clock of its own: `throttled` is told when the request was sent and what
 * time it is now (any monotonic clock, the same for both).
 */
import { sleep } from "./sleep.js";

export interface Pressure {
  /** A request sent at `sentAt` was answered 429 or 503. */
  throttled(sentAt: number, now?: number): void;
  /** A request was answered with anything else. */
  answered(): void;
  /**
   * Waits `ms` before a request is tried again (its Retry-After, or a backoff).
   * The caller holds one of the limit's places (it passes this only then): a
   * request that waits is not in flight, so its place goes to another call
   * meanwhile, and is taken back, in turn, before the request is sent again.
   */
  waitOut?(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The pressure told of a request's answers, without `waitOut`: for a request
 * whose caller's place stands for work under way rather than for the request
 * itself (a status poll of a batch the service is running). Giving that place
 * up during a Retry-After would let another batch start while this one still
 * runs: more batches at the tenant than the halved limit allows.
 */
export function answersOnly(pressure: Pressure): Pressure {
  return { throttled: (sentAt, now) => pressure.throttled(sentAt, now), answered: () => pressure.answered() };
}

/** Admission of the calls of `mapConcurrent`: at most `limit` between `acquire` and `release`. */
export interface Gate {
  /** The most that can ever be in flight: how many workers to start. */
  readonly max: number;
  acquire(): Promise<void>;
  release(): void;
}

export class AimdLimit implements Pressure, Gate {
  private allowance: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private lastHalvedAt = -Infinity;
  /** How many times the allowance was halved (for tests and figures). */
  halvings = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`AimdLimit needs a whole maximum of at least 1, not ${max}`);
    this.allowance = max;
  }

  /** How many may be in flight now. */
  get limit(): number {
    return Math.max(1, Math.floor(this.allowance));
  }

  get inFlight(): number {
    return this.running;
  }

  throttled(sentAt: number, now: number = performance.now()): void {
    if (sentAt < this.lastHalvedAt) return;
    this.lastHalvedAt = now;
    this.allowance = Math.max(1, this.allowance / 2);
    this.halvings++;
  }

  answered(): void {
    if (this.allowance >= this.max) return;
    this.allowance = Math.min(this.max, this.allowance + 1 / this.allowance);
    this.admit();
  }

  acquire(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.running--;
    this.admit();
  }

  async waitOut(ms: number, signal?: AbortSignal): Promise<void> {
    this.release();
    await sleep(ms, signal);
    // Cancelled: the call is about to end and give its place back; it takes it again without queueing behind others.
    if (signal?.aborted) this.running++;
    else await this.acquire();
  }

  private admit(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      this.running++;
      (this.waiting.shift() as () => void)();
    }
  }
}
