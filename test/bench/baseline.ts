/**
 * The per-resource way, as a script over the SDK would do it: for each id, one
 * existence GET and one DELETE, 10 in flight (Terraform's default parallelism),
 * waiting out a 429's Retry-After before asking again. On a tree, the ids come
 * in phases, deepest first (sensors, then devices, then gateways), each phase
 * finished before the next starts, since the service refuses a parent whose
 * children are still there. Plain fetch, no decom code.
 */
export interface PerResourceOutcome {
  wallMs: number;
  deleted: number;
  /** DELETEs answered neither 204 nor 429. */
  failed: number;
  /** 429s it was answered (and waited out). */
  rateLimited: number;
}

export async function perResourceDelete(
  endpoint: string,
  phases: readonly (readonly string[])[],
  inFlight = 10,
): Promise<PerResourceOutcome> {
  const outcome: PerResourceOutcome = { wallMs: 0, deleted: 0, failed: 0, rateLimited: 0 };
  const started = performance.now();
  const send = async (url: string, method: string): Promise<number> => {
    for (;;) {
      const response = await fetch(url, { method });
      await response.arrayBuffer();
      if (response.status !== 429) return response.status;
      outcome.rateLimited++;
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get("retry-after") ?? 1)));
    }
  };
  for (const ids of phases) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const url = `${endpoint}/resources/v1/resources/${encodeURIComponent(ids[next++]!)}`;
        if ((await send(url, "GET")) !== 200) continue;
        if ((await send(url, "DELETE")) === 204) outcome.deleted++;
        else outcome.failed++;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  }
  outcome.wallMs = performance.now() - started;
  return outcome;
}
