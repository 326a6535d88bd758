/**
 * A batch whose fate the service cannot tell: a POST whose answer was lost
 * (connection reset, a gateway's 502/504), which may or may not have created
 * the batch, or an accepted batch the service no longer knows (404 long after
 * its 202). The ids themselves are the evidence: decom watches which of them
 * still exist. The evidence is final when all are gone, or when the ids still
 * there have not changed for a grace period (and that long has passed since
 * the submission): while ids keep disappearing, the batch is still running,
 * and none of its ids may be submitted again. Ids still there once it is final
 * were not taken (or not yet: see the README on the residual risk).
 */
import { sleep } from "../async/sleep.js";
import type { EntityKind } from "../state/model.js";
import type { WaylayApi } from "../waylay/client.js";

export interface Evidence {
  gone: string[];
  remaining: string[];
  /**
   * final: settle the ids from it. halted: stopped at once. timed-out: still
   * changing after `timeoutMs`. interrupted: `interrupt` said to stop.
   * Only `final` may be settled; otherwise the batch stays in flight.
   */
  end: "final" | "halted" | "timed-out" | "interrupted";
}

export interface EvidenceOptions {
  submitted: Date;
  /** How long the ids still there must stay unchanged (and since the submission) for the evidence to be final. */
  graceMs: number;
  /** Watching longer than this leaves the batch in flight. */
  timeoutMs: number;
  now: () => Date;
  halt?: AbortSignal | undefined;
  /** Asked before each look; true ends the watch (e.g. the service knows the batch again). */
  interrupt?: () => Promise<boolean>;
}

export async function watchForEvidence(
  api: WaylayApi,
  kind: EntityKind,
  ids: readonly string[],
  options: EvidenceOptions,
): Promise<Evidence> {
  const started = options.now().getTime();
  let lastChange = started;
  let remainingBefore = Number.POSITIVE_INFINITY;
  let delay = 200;
  for (;;) {
    if (options.halt?.aborted) return { gone: [], remaining: [...ids], end: "halted" };
    if (options.interrupt && (await options.interrupt())) return { gone: [], remaining: [...ids], end: "interrupted" };
    let present: Set<string>;
    try {
      const found = kind === "resource" ? await api.findResources(ids) : await api.findResourceTypes(ids);
      present = new Set(found.map((f) => f.id));
    } catch (err) {
      // A lookup cancelled by `halt` ends the watch like the halt itself; any other failure is the caller's.
      if (options.halt?.aborted) return { gone: [], remaining: [...ids], end: "halted" };
      throw err;
    }
    const gone = ids.filter((id) => !present.has(id));
    const remaining = ids.filter((id) => present.has(id));
    const now = options.now().getTime();
    if (remaining.length !== remainingBefore) lastChange = now;
    remainingBefore = remaining.length;
    if (remaining.length === 0) return { gone, remaining, end: "final" };
    const stableFor = now - lastChange;
    const sinceSubmission = now - options.submitted.getTime();
    // The first look counts as a change: stability is always observed, never assumed.
    if (stableFor >= options.graceMs && sinceSubmission >= options.graceMs) return { gone, remaining, end: "final" };
    if (now - started >= options.timeoutMs) return { gone, remaining, end: "timed-out" };
    const wait = Math.min(delay, Math.max(options.graceMs - stableFor, options.graceMs - sinceSubmission, 1));
    await sleep(wait, options.halt);
    delay = Math.min(delay * 2, 2000);
  }
}
