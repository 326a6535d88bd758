/**
 * Plans built by hand, for tests that need one without a tenant to plan
 * against: the header every plan carries, around the changes and waves a test
 * is about.
 */
import type { CascadeOption } from "../../src/manifest/model.js";
import { EXPLICIT_ENTRY } from "../../src/manifest/model.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../../src/plan/model.js";
import { DECOM_VERSION } from "../../src/version.js";

/** A plan of the current format with `parts` (its changes and waves, and any header field a test sets). */
export function handMadePlan(parts: Pick<Plan, "changes" | "waves"> & Partial<Plan>): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    decomVersion: DECOM_VERSION,
    endpoint: "https://api.waylay.io",
    manifest: { sha256: "a".repeat(64) },
    state: { lineage: null, serial: 0 },
    batchSize: 500,
    targets: [],
    selectors: [],
    blockers: [],
    ...parts,
  };
}

/** Each resource named by id in the manifest and deleted with `cascade`, in batches of `batchSize`: one wave. */
export function planDeleting(ids: readonly string[], batchSize: number, cascade: CascadeOption[] = []): Plan {
  const batches = [];
  for (let i = 0; i < ids.length; i += batchSize) {
    batches.push({
      body: {
        entity: "resource" as const,
        action: "delete" as const,
        query: { ids: ids.slice(i, i + batchSize) },
        actionParameters: { cascade },
      },
    });
  }
  return handMadePlan({
    batchSize,
    changes: ids.map((id) => ({ kind: "resource", id, action: "delete", reason: { code: "in-manifest" }, entry: EXPLICIT_ENTRY, cascade })),
    waves: [{ kind: "resource", batches }],
  });
}
