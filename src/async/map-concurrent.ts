/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep input order.
 * The limit is a number, or a Gate whose limit may change while the calls run
 * (an AimdLimit: fewer at once while the tenant throttles).
 *
 * Once a call rejects, no new call starts (as p-map does). Unlike p-map, the
 * returned promise settles only when the calls already started have ended,
 * and then rejects with the first error: a caller that records what each call
 * did (the executor journals batch outcomes) loses nothing that was in flight.
 */
import type { Gate } from "./aimd.js";

export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number | Gate,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const gate = typeof limit === "number" ? undefined : limit;
  let next = 0;
  let failure: { error: unknown } | undefined;
  async function worker(): Promise<void> {
    while (failure === undefined && next < items.length) {
      if (gate) await gate.acquire();
      // Another worker may have taken the last item, or failed, while this one waited.
      if (failure !== undefined || next >= items.length) {
        gate?.release();
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      } finally {
        gate?.release();
      }
    }
  }
  const workers = Math.min(gate ? gate.max : (limit as number), items.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
