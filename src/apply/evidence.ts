/**
 * A batch POST whose answer was lost (connection reset, a gateway's 502/504)
 * may or may not have created the batch, and the contract gives no way to find
 * it. The ids themselves are the evidence: decom watches which of them still
 * exist until they are all gone, or until a grace period after the submission
 * has passed. Gone ids were deleted by that batch; ids still there after the
 * grace were not taken (or not yet: see the README on the residual risk) and
 * may be submitted again.
 */
import { sleep } from "../async/sleep.js";
import type { EntityKind } from "../state/model.js";
import type { WaylayApi } from "../waylay/client.js";

export interface Evidence {
  gone: string[];
  remaining: string[];
  /** True when `halt` cut the watch short: `remaining` may still be processed. */
  halted: boolean;
}

export interface EvidenceOptions {
  submitted: Date;
  graceMs: number;
  now: () => Date;
  halt?: AbortSignal | undefined;
}

export async function watchForEvidence(api: WaylayApi, kind: EntityKind, ids: readonly string[], options: EvidenceOptions): Promise<Evidence> {
  let delay = 200;
  for (;;) {
    const present = new Set(kind === "resource" ? (await api.findResources(ids)).map((r) => r.id) : await api.findResourceTypes(ids));
    const gone = ids.filter((id) => !present.has(id));
    const remaining = ids.filter((id) => present.has(id));
    const waited = options.now().getTime() - options.submitted.getTime();
    if (remaining.length === 0 || waited >= options.graceMs) return { gone, remaining, halted: false };
    if (options.halt?.aborted) return { gone, remaining, halted: true };
    await sleep(Math.min(delay, options.graceMs - waited), options.halt);
    delay = Math.min(delay * 2, 2000);
  }
}
