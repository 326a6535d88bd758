/**
 * The waits between attempts: exponential backoff with jitter, the formula
 * p-retry uses. The transport computes it itself because the wait after a 429
 * or 503 is the longer of the backoff and the server's Retry-After, and p-retry
 * can only add its own wait to any the caller makes.
 */
export interface Backoff {
  minMs: number;
  maxMs: number;
  factor: number;
}

/** The wait before retry number `retry` (0 for the first), with jitter between 1× and 2×, capped at `maxMs`. */
export function backoffMs(retry: number, backoff: Backoff, random: number = Math.random()): number {
  return Math.min(backoff.maxMs, Math.round((1 + random) * backoff.minMs * backoff.factor ** retry));
}

/** The longest the waits before retries `from` … `to - 1` can add up to. */
export function longestBackoffMs(from: number, to: number, backoff: Backoff): number {
  let total = 0;
  for (let retry = from; retry < to; retry++) total += backoffMs(retry, backoff, 1);
  return total;
}
