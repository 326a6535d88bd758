/**
 * The whole of planning against a tenant: live facts for what the manifest
 * names, the changes, what depends on them from outside, the plan. The API is
 * passed in; everything between the two questions it answers is pure.
 */
import type { Manifest } from "../manifest/model.js";
import type { State } from "../state/model.js";
import type { WaylayApi } from "../waylay/client.js";
import { EarlyChildrenCheck, gatherOutsideDependents, type ReferrersCheck } from "./gather-dependents.js";
import { gatherLiveFacts } from "./gather-facts.js";
import { assemblePlan, planChanges } from "./make-plan.js";
import type { Plan } from "./model.js";

export interface PlanRequest {
  manifest: Manifest;
  state: State | null;
  api: WaylayApi;
  batchSize: number;
  targets?: readonly string[];
  /** Ask each deleted resource's referrers (`--check-referrers`), this many at once. */
  referrers?: ReferrersCheck;
  decomVersion: string;
}

export async function planTenant(request: PlanRequest): Promise<Plan> {
  const { manifest, state, api } = request;
  const targets = request.targets ?? [];
  // Without --target, every resource the lookups find is deleted: the children check can start on what they find.
  const early = targets.length === 0 ? new EarlyChildrenCheck(api) : undefined;
  const live = await gatherLiveFacts(manifest, api, early && ((ids) => early.add(ids)));
  const changes = planChanges({ manifest, state, live, targets });
  const outside = await gatherOutsideDependents(changes, api, request.referrers, early);
  return assemblePlan({
    manifest,
    state,
    live,
    targets,
    changes,
    outside,
    endpoint: api.endpoint,
    batchSize: request.batchSize,
    decomVersion: request.decomVersion,
  });
}
