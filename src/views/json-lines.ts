/** The --json view: one object per line, each valid against schemas/events.schema.json. */
import type { ApplyOutcome } from "../apply/results.js";
import type { Continuation, Recovered } from "../apply/results.js";
import type { ApplyEvent } from "../apply/events.js";
import type { Diagnostic } from "../diagnostics.js";
import { summarize, type Plan } from "../plan/model.js";
import type { AppliedPlan } from "../state/model.js";
import type { ListedRecord, ShownRecord } from "../state/records.js";
import { describeBlocker } from "./blocker-text.js";
import { reasonText } from "./change-reason.js";
import { haltReasonText } from "./halt-reason.js";

/** JSON escapes what a terminal must not see; blocker sentences keep the ids as they were, byte for byte. */
const rawQuote = (id: string) => `"${id}"`;
const line = (object: Record<string, unknown>) => JSON.stringify({ ...object, timestamp: new Date().toISOString() }) + "\n";

/** `archive`: where apply will archive the documents it deletes (plan only; a saved plan shown later does not know). */
export function* planLines(plan: Plan, saved?: string, archive?: string): Generator<string> {
  // The words, as the text view says them, and the code for scripts that branch on it.
  for (const c of plan.changes) yield line({ type: "planned_change", ...c, reason: reasonText(c.reason), reasonCode: c.reason.code });
  const s = summarize(plan.changes);
  yield line({
    type: "plan_summary",
    ...s,
    blocked: plan.blockers.length > 0,
    blockers: plan.blockers.map((b) => describeBlocker(b, rawQuote)),
    waves: plan.waves.length,
    batches: plan.waves.reduce((n, w) => n + w.batches.length, 0),
    endpoint: plan.endpoint,
    ...(saved !== undefined ? { saved } : {}),
    ...(archive !== undefined ? { archive } : {}),
  });
}

export function recoveredLine(r: Recovered): string {
  return line({ type: "recovered", ...r });
}

export function continuingLine(c: Continuation, shown: string): string {
  return line({ type: "continuing", plan: shown, ...c });
}

const EVENT_TYPES: Record<ApplyEvent["type"], string | undefined> = {
  "wave-started": "wave_started",
  "batch-submitted": "batch_submitted",
  "batch-finished": "batch_finished",
  "batch-unacknowledged": "batch_unacknowledged",
  "batch-in-flight": "batch_in_flight",
  "wave-finished": "wave_finished",
  "waves-halted": "waves_halted",
  "archive-failed": "archive_failed",
  // Said once, as a `recovered` line, when recovery is done.
  "resume-started": undefined,
};

export function applyEventLine(event: ApplyEvent): string | undefined {
  const type = EVENT_TYPES[event.type];
  if (!type) return undefined;
  const { type: _internal, ...fields } = event;
  // A halt's reason in words, as the text view says it, and as its code.
  if (event.type === "waves-halted") return line({ type, ...fields, reason: haltReasonText(event.reason), reasonCode: event.reason });
  return line({ type, ...fields });
}

export function applySummaryLine(outcome: ApplyOutcome): string {
  const zero = { deleted: 0, absent: 0, failed: 0, forgotten: 0, inFlight: 0, notSubmitted: 0, failures: [] as unknown[] };
  if (outcome.status !== "applied")
    return line({
      type: "apply_summary",
      status: outcome.status,
      ...zero,
      ...(outcome.status === "halted" ? { inFlight: outcome.inFlight } : {}),
      ...(outcome.status === "already-applied" ? { failed: outcome.failed, appliedAt: outcome.appliedAt } : {}),
    });
  const r = outcome.result;
  const unfinished = r.inFlight > 0 || r.notSubmitted > 0;
  const failed = r.failed + (outcome.continued?.failedBefore ?? 0);
  return line({
    type: "apply_summary",
    status: outcome.interrupted ? "interrupted" : unfinished ? "incomplete" : failed > 0 ? "finished-with-failures" : "complete",
    deleted: r.deleted,
    absent: r.absent,
    failed: r.failed,
    forgotten: r.forgotten,
    inFlight: r.inFlight,
    notSubmitted: r.notSubmitted,
    failures: r.failures,
    ...(outcome.continued ? { continued: outcome.continued } : {}),
    archive: outcome.archive?.path ?? null,
    archived: outcome.archive?.archived ?? 0,
  });
}

export function diagnosticLine(d: Diagnostic): string {
  const { detail: _detail, ...fields } = d;
  return line({ type: "diagnostic", ...fields });
}

/** `state list`: a record as the state file holds it, less its history. */
export function stateRecordLine({ kind, id, record }: ListedRecord): string {
  const { history: _history, ...fields } = record;
  return line({ type: "state_record", kind, id, ...fields });
}

/** `state show`: the record with the apply that wrote it, and each outcome it replaced with its own. */
export function stateRecordDetailLine({ kind, id, record, applied, history }: ShownRecord): string {
  const { history: _history, ...fields } = record;
  return line({
    type: "state_record_detail",
    kind,
    id,
    ...fields,
    ...appliedField(applied),
    history: history.map((earlier) => ({ ...earlier.outcome, ...appliedField(earlier.applied) })),
  });
}

function appliedField(applied: AppliedPlan | undefined): { applied?: { number: number; plan?: string; started: string } } {
  if (!applied) return {};
  return { applied: { number: applied.number, ...(applied.plan !== undefined ? { plan: applied.plan } : {}), started: applied.started } };
}
