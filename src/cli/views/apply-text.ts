/** The human view of an apply's outcome: failures, then the summary. Progress is in progress.ts. */
import type { Recovered } from "../../api/options.js";
import type { ApplyResult } from "../../apply/apply-plan.js";
import { escaped, quoted } from "../../text/escape.js";
import { count } from "../../text/plural.js";
import type { Palette } from "./colour.js";

/** One line for an interrupted apply recovered before anything else. */
export function recoveredText(r: Recovered): string {
  const followed = r.batches > 0 ? `: ${count(r.batches, "batch", "batches")} followed to their end (${r.deleted} deleted, ${r.absent} absent, ${r.failed} failed${r.notTaken > 0 ? `, ${r.notTaken} never taken (planned again)` : ""}${r.inFlight > 0 ? `, ${r.inFlight} still in flight` : ""})` : "";
  return `Recovered an interrupted apply${followed}.\n\n`;
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
  for (const f of failures.slice(0, limit)) lines.push(`  ${f.kind} ${quoted(f.id)}: ${escaped(f.error)}`);
  if (failures.length > limit) lines.push(`  … and ${failures.length - limit} more (decom show on the state file lists them all)`);
  lines.push("The next plan plans these ids again.", "");
  return lines.join("\n");
}
