/** The human view of a state file: identity, counts, then each record. */
import { ENTITY_KINDS, type RecordStatus, type State } from "../state/model.js";
import { escaped, quoted } from "../text/escape.js";
import type { Palette } from "./colour.js";
import { count, formatNumber } from "../text/plural.js";
import { hiddenIdsWarning } from "./hidden-ids.js";
import { joinPieces, problemText, viewText, type Piece } from "./pieces.js";

/** The whole text, the warning (if any) where a terminal shows it. */
export function renderStateText(state: State, p: Palette): string {
  return joinPieces(stateTextPieces(state, p));
}

/** The view for stdout, and the warning about escaped ids for stderr, before the totals. */
export function stateTextPieces(state: State, p: Palette): Piece[] {
  const lines = [`State lineage ${escaped(state.lineage)}, serial ${formatNumber(state.serial)}, endpoint ${escaped(state.endpoint)}`];
  const counts: Record<RecordStatus, number> = { deleted: 0, absent: 0, failed: 0 };
  for (const kind of ENTITY_KINDS) {
    const ids = [...state[kind].keys()].sort();
    if (ids.length === 0) continue;
    lines.push("", `${kind === "resource" ? "Resources" : "Resource types"}:`);
    for (const id of ids) {
      const r = state[kind].get(id)!;
      counts[r.status]++;
      const status = r.status === "failed" ? p.red(r.status) : r.status;
      // The error text and the batch id are the server's words.
      const extra = r.status === "failed" ? `  ${r.statusCode ?? "?"}: ${escaped(r.error ?? "")}` : "";
      lines.push(`  ${quoted(id)}  ${status}  ${p.dim(escaped(r.time))}${r.batchId ? p.dim(`  batch ${escaped(r.batchId)}`) : ""}${extra}`);
    }
  }
  if (state.inFlight.length > 0) {
    lines.push("", p.yellow("In flight (the next decom apply or plan follows these to their end):"));
    for (const b of state.inFlight) {
      const what = b.batchId ? `batch ${escaped(b.batchId)}` : "submitted without acknowledgement";
      lines.push(`  ${what}, ${count(b.ids.size, b.kind === "resource" ? "resource" : "resource type")}, since ${escaped(b.submitted)}`);
    }
  }
  const pieces = [viewText(lines.join("\n") + "\n")];
  const warning = hiddenIdsWarning(ENTITY_KINDS.flatMap((kind) => [...state[kind].keys()]));
  if (warning) pieces.push(problemText(`\n${p.yellow(`Warning: ${warning}`)}\n`));
  pieces.push(
    viewText(`\n${formatNumber(counts.deleted)} deleted, ${formatNumber(counts.absent)} absent, ${formatNumber(counts.failed)} failed.\n`),
  );
  return pieces;
}
