/** State records in words, for `decom state list|show|rm`: ids quoted, the tenant's and server's words escaped. */
import type { AppliedPlan, PriorOutcome } from "../state/model.js";
import type { ListedRecord, ShownRecord } from "../state/records.js";
import { escaped, quoted } from "../text/escape.js";

/** Past this, a long id pushes its own line's columns rather than every line's. */
const WIDEST_ID_COLUMN = 40;

/** `resource      "dev-0001"  deleted  2026-12-01T09:30:05.000Z`: kind, id, status, time, in columns. */
export function recordRows(records: readonly ListedRecord[]): string[] {
  const kindWidth = Math.max(0, ...records.map((r) => r.kind.length));
  const ids = records.map((r) => quoted(r.id));
  const idWidth = Math.min(WIDEST_ID_COLUMN, Math.max(0, ...ids.map((id) => id.length)));
  return records.map(
    (r, i) =>
      `${r.kind.padEnd(kindWidth)}  ${ids[i]!.padEnd(idWidth)}  ${r.record.status.padEnd("deleted".length)}  ${escaped(r.record.time)}`,
  );
}

/** The record's fields, then its history, each earlier outcome with the same fields. */
export function recordDetailText(shown: ShownRecord): string {
  const lines = [`${shown.kind} ${quoted(shown.id)}`, `  ${row("status", shown.record.status)}`];
  lines.push(...outcomeRows(shown.record, shown.applied).map((line) => `  ${line}`));
  if (shown.history.length > 0) {
    lines.push("  history, newest first:");
    shown.history.forEach(({ outcome, applied }, index) => {
      const number = `${index + 1}. `;
      lines.push(`    ${number}${outcome.status} at ${escaped(outcome.time)}`);
      const indent = " ".repeat(4 + number.length);
      lines.push(...outcomeRows(outcome, applied, false).map((line) => `${indent}${line}`));
    });
  }
  return lines.join("\n") + "\n";
}

const LABEL_WIDTH = "status code: ".length;
const row = (label: string, value: string) => `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;

/** What is known of one outcome, a line per field it has (`time` is on the history item's own line). */
function outcomeRows(outcome: PriorOutcome, applied: AppliedPlan | undefined, withTime = true): string[] {
  const rows: string[] = [];
  if (withTime) rows.push(row("time", escaped(outcome.time)));
  rows.push(row("entry", escaped(outcome.entry)));
  if (outcome.batchId !== undefined) rows.push(row("batch", escaped(outcome.batchId)));
  if (outcome.cascade !== undefined) rows.push(row("cascade", outcome.cascade.length > 0 ? outcome.cascade.join(", ") : "none"));
  if (outcome.statusCode !== undefined) rows.push(row("status code", String(outcome.statusCode)));
  if (outcome.error !== undefined) rows.push(row("error", escaped(outcome.error)));
  if (outcome.apply !== undefined) rows.push(row("apply", applyWords(outcome.apply, applied)));
  return rows;
}

/** `2, of saved plan sha256:…, started …`; an apply that planned for itself saved none. */
function applyWords(number: number, applied: AppliedPlan | undefined): string {
  if (!applied) return String(number);
  const plan = applied.plan !== undefined ? `of saved plan ${applied.plan}` : "which made its own plan";
  return `${number}, ${plan}, started ${escaped(applied.started)}`;
}
