/** The human view of an apply: a line per wave and per batch problem, then the summary. */
import type { ApplyEvent } from "../../apply/events.js";
import type { ApplyResult } from "../../apply/apply-plan.js";
import { count } from "../../text/plural.js";
import type { Palette } from "./colour.js";

export function renderApplyEvent(event: ApplyEvent, p: Palette): string | undefined {
  switch (event.type) {
    case "wave-started":
      return `Wave ${event.wave}/${event.waves}: deleting ${count(event.ids, event.kind === "resource" ? "resource" : "resource type")} in ${count(event.batches, "batch", "batches")}...`;
    case "batch-finished":
      return event.failed > 0 || event.absent > 0
        ? `  batch ${event.batchId}: ${event.deleted} deleted, ${event.absent} absent, ${event.failed > 0 ? p.red(`${event.failed} failed`) : "0 failed"}`
        : undefined;
    case "batch-unacknowledged":
      return `  ${p.yellow("no acknowledgement")} for a batch of ${count(event.ids, "id")} (${event.error}); checking which are gone before submitting the rest again`;
    case "batch-in-flight":
      return `  ${p.yellow("still in flight")}: batch ${event.batchId} (${count(event.ids, "id")}): ${event.error}`;
    case "waves-halted":
      return `Wave ${event.wave} and later were not started: ${event.reason}.`;
    case "resume-started":
      return `Resuming an interrupted apply: ${count(event.batches, "batch", "batches")} (${count(event.ids, "id")}) in flight.`;
    default:
      return undefined;
  }
}

export function renderApplySummary(result: ApplyResult, interrupted: boolean, p: Palette): string {
  const lines: string[] = [];
  if (result.forgotten > 0) lines.push(`Forgot ${count(result.forgotten, "id")} no longer in the manifest.`);
  const counts = `${result.deleted} deleted, ${result.absent} absent, ${result.failed} failed`;
  const unfinished = result.inFlight > 0 || result.notSubmitted > 0;
  const line = interrupted ? `Apply interrupted: ${counts}.` : unfinished ? `Apply incomplete: ${counts}.` : `Apply complete: ${counts}.`;
  lines.push(result.failed > 0 || unfinished || interrupted ? p.red(p.bold(line)) : p.green(p.bold(line)));
  if (result.inFlight > 0) lines.push(`${count(result.inFlight, "id")} still in flight, recorded in the state: the next decom apply or plan follows them to their end.`);
  if (result.notSubmitted > 0) lines.push(`${count(result.notSubmitted, "id")} not submitted: plan again to finish.`);
  return lines.join("\n") + "\n";
}

export function renderFailures(failures: { kind: string; id: string; error: string }[], limit = 20): string {
  if (failures.length === 0) return "";
  const lines = ["", "Failed:"];
  for (const f of failures.slice(0, limit)) lines.push(`  ${f.kind} "${f.id}": ${f.error}`);
  if (failures.length > limit) lines.push(`  … and ${failures.length - limit} more (decom show on the state file lists them all)`);
  lines.push("The next plan plans these ids again.", "");
  return lines.join("\n");
}
