/** Manifest + state + live facts → plan. Pure: everything it needs is passed in. */
import type { Manifest } from "../manifest/model.js";
import { identityOf, type State } from "../state/model.js";
import { diffChanges } from "./diff.js";
import { PLAN_FORMAT_VERSION, type LiveFacts, type Plan } from "./model.js";
import { scheduleWaves } from "./schedule.js";

export interface PlanInputs {
  manifest: Manifest;
  state: State | null;
  live: LiveFacts;
  endpoint: string;
  batchSize: number;
  decomVersion: string;
}

export function makePlan({ manifest, state, live, endpoint, batchSize, decomVersion }: PlanInputs): Plan {
  const changes = diffChanges(manifest, state, live);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    decomVersion,
    endpoint,
    manifest: { sha256: manifest.sha256 },
    state: identityOf(state),
    batchSize,
    changes,
    waves: scheduleWaves(changes, live, batchSize),
  };
}
