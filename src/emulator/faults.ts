/**
 * Fault injection, so retries, resumes and journaling are tested against real
 * failures: added latency, 5xx answers, 429 with Retry-After, connections reset
 * (for a batch POST, half of them after the batch was accepted: the answer is
 * lost, not the work). Drawn from a seeded generator, so a run can be repeated.
 */

export interface FaultOptions {
  /** Added to every request. */
  latencyMs?: number;
  /** Share of requests answered 500, 502, 503 or 504 without being handled. */
  failRate?: number;
  /** Share of requests answered 429 with Retry-After. */
  rateLimitRate?: number;
  retryAfterSeconds?: number;
  /** Share of requests whose connection is reset. */
  resetRate?: number;
  /** Seed of the generator (any integer). */
  seed?: number;
}

/** Faults the emulator actually served, so a test can prove the fault it injects happened. */
export interface FaultCounts {
  /** Requests answered 500, 502, 503 or 504 without being handled. */
  serverErrors: number;
  /** Requests answered 429 with Retry-After. */
  rateLimited: number;
  /** Connections reset before the request was handled. */
  resetsBeforeHandling: number;
  /** Batches accepted whose 202 was lost to a reset: the work was done, the answer never arrived. */
  lostAcceptances: number;
  /** Status requests answered 404 for a batch the service accepted but does not show yet (or has lost track of). */
  hiddenBatchStatuses: number;
}

export function noFaults(): FaultCounts {
  return { serverErrors: 0, rateLimited: 0, resetsBeforeHandling: 0, lostAcceptances: 0, hiddenBatchStatuses: 0 };
}

export type Fault =
  | { kind: "none" }
  | { kind: "status"; status: number }
  | { kind: "rate-limit"; retryAfter: number }
  | { kind: "reset"; afterHandling: boolean };

export class FaultInjector {
  private readonly random: () => number;

  constructor(private readonly options: FaultOptions = {}) {
    this.random = mulberry32(options.seed ?? Date.now());
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  /** The fault for one request; `canCompleteThenReset` for requests whose work may be done before the reset. */
  draw(canCompleteThenReset: boolean): Fault {
    const { failRate = 0, rateLimitRate = 0, resetRate = 0 } = this.options;
    if (failRate + rateLimitRate + resetRate === 0) return { kind: "none" };
    const roll = this.random();
    if (roll < failRate) return { kind: "status", status: [500, 502, 503, 504][Math.floor(this.random() * 4)] ?? 500 };
    if (roll < failRate + rateLimitRate) return { kind: "rate-limit", retryAfter: this.options.retryAfterSeconds ?? 1 };
    if (roll < failRate + rateLimitRate + resetRate) return { kind: "reset", afterHandling: canCompleteThenReset && this.random() < 0.5 };
    return { kind: "none" };
  }
}

/** A small, well-known 32-bit generator: same seed, same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
