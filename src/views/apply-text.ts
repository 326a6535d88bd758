/** The human view of an apply's outcome: failures, then the summary. Progress is in progress.ts. */
import type { ArchiveUse, Continuation, Recovered } from "../apply/results.js";
import type { ApplyResult } from "../apply/apply-plan.js";
import { escaped, quoted } from "../text/escape.js";
import { count, formatNumber } from "../text/plural.js";
import { formatTime } from "../text/time.js";
import type { Palette } from "./colour.js";

/** One line for an interrupted apply recovered before anything else. */
export function recoveredText(r: Recovered): string {
  const n = formatNumber;
  const notTaken = r.notTaken > 0 ? `, ${n(r.notTaken)} never taken (planned again)` : "";
  const inFlight = r.inFlight > 0 ? `, ${n(r.inFlight)} still in flight` : "";
  const outcomes = `${n(r.deleted)} deleted, ${n(r.absent)} absent, ${n(r.failed)} failed${notTaken}${inFlight}`;
  const followed =
    r.batches > 0 ? `: ${count(r.batches, "batch", "batches")} followed to ${r.batches === 1 ? "its" : "their"} end (${outcomes})` : "";
  return `Recovered an interrupted apply${followed}.\n\n`;
}

/** A re-run of a saved plan whose apply was cut short. */
export function continuingText(c: Continuation, shown: string): string {
  const left = `${formatNumber(c.remaining)} of ${count(c.deletions, "deletion")} left to submit`;
  return `Continuing the apply of ${shown} begun ${formatTime(c.started)}: ${left}.\n\n`;
}

export function alreadyAppliedText(appliedAt: string, shown: string): string {
  return `${shown} was already applied on ${formatTime(appliedAt)}; nothing to do.\n`;
}

/** `rerun`: the command that applies the same saved plan again, which finishes it; without one, a new plan does. */
export function renderApplySummary(result: ApplyResult, interrupted: boolean, p: Palette, rerun?: string): string {
  const lines: string[] = [];
  if (result.forgotten > 0) lines.push(`Forgot ${count(result.forgotten, "id")} no longer in the manifest.`);
  const counts = `${formatNumber(result.deleted)} deleted, ${formatNumber(result.absent)} absent, ${formatNumber(result.failed)} failed`;
  const unfinished = result.inFlight > 0 || result.notSubmitted > 0;
  // "complete" only when every id ended deleted or absent.
  const line = interrupted
    ? `Apply interrupted: ${counts}.`
    : unfinished
      ? `Apply incomplete: ${counts}.`
      : result.failed > 0
        ? `Apply finished with failures: ${counts}.`
        : `Apply complete: ${counts}.`;
  lines.push(result.failed > 0 || unfinished || interrupted ? p.red(p.bold(line)) : p.green(p.bold(line)));
  if (result.inFlight > 0)
    lines.push(
      `${count(result.inFlight, "id")} still in flight, recorded in the state: the next decom apply or plan follows them to their end.`,
    );
  if (result.notSubmitted > 0)
    lines.push(`${count(result.notSubmitted, "id")} not submitted: ${rerun ? `run ${rerun} again to finish` : "plan again to finish"}.`);
  return lines.join("\n") + "\n";
}

export function renderFailures(failures: { kind: string; id: string; error: string }[], limit = 20): string {
  if (failures.length === 0) return "";
  const lines = ["", "Failed:"];
  for (const f of failures.slice(0, limit)) lines.push(`  ${f.kind} ${quoted(f.id)}: ${escaped(f.error)}`);
  if (failures.length > limit)
    lines.push(`  … and ${formatNumber(failures.length - limit)} more (decom show on the state file lists them all)`);
  lines.push("The next plan plans these ids again.", "");
  return lines.join("\n");
}

/** Where the deleted documents went, or that they were not kept. */
export function archiveText(archive: ArchiveUse | undefined): string {
  if (!archive) return "Archive off (--no-archive): the documents this apply deleted were not kept.\n";
  const path = escaped(archive.path);
  if (archive.failed) return `Archived ${count(archive.archived, "document")} to ${path} before archiving failed (see above).\n`;
  if (archive.archived === 0) return `Archive: ${path} (nothing new to archive).\n`;
  const archived = `Archived ${count(archive.archived, "document")} to ${path}`;
  return `${archived}, each before any batch deleting it was sent (decom restore brings them back).\n`;
}

/** Before an apply: where it will archive what it deletes. */
export function archiveNotice(archive: string): string {
  return (
    `Before each batch is sent, decom apply archives its documents to ${escaped(archive)} ` +
    "(decom restore brings them back; --no-archive: not kept)."
  );
}
