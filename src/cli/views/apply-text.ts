/** The human view of an apply: a line per wave and per batch problem, then the summary. */
import type { ApplyEvent } from "../../apply/events.js";
import type { ApplyTotals } from "../../apply/execute.js";
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
    case "batch-failed":
      return `  ${p.red("batch failed")}: ${event.error}`;
    default:
      return undefined;
  }
}

export function renderApplySummary(totals: ApplyTotals, forgotten: number, p: Palette): string {
  const lines: string[] = [];
  if (forgotten > 0) lines.push(`Forgot ${count(forgotten, "id")} no longer in the manifest.`);
  const line = `Apply complete: ${totals.deleted} deleted, ${totals.absent} absent, ${totals.failed} failed.`;
  lines.push(totals.failed > 0 ? p.red(p.bold(line)) : p.green(p.bold(line)));
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
