/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep input order.
 *
 * Once a call rejects, no new call starts (as p-map does). Unlike p-map, the
 * returned promise settles only when the calls already started have ended,
 * and then rejects with the first error: a caller that records what each call
 * did (the executor journals batch outcomes) loses nothing that was in flight.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  async function worker(): Promise<void> {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
