/**
 * The per-resource way, as a script over the SDK would do it: for each id, one
 * existence GET and one DELETE, 10 in flight (Terraform's default parallelism).
 * Plain fetch, no decom code.
 */
export async function perResourceDelete(
  endpoint: string,
  ids: readonly string[],
  inFlight = 10,
): Promise<{ wallMs: number; deleted: number }> {
  let next = 0;
  let deleted = 0;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < ids.length) {
      const id = encodeURIComponent(ids[next++]!);
      const exists = await fetch(`${endpoint}/resources/v1/resources/${id}`);
      await exists.arrayBuffer();
      if (exists.status !== 200) continue;
      const removed = await fetch(`${endpoint}/resources/v1/resources/${id}`, { method: "DELETE" });
      await removed.arrayBuffer();
      if (removed.status === 204) deleted++;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { wallMs: performance.now() - started, deleted };
}
