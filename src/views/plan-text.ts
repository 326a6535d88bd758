/**
 * The human view of a plan, Terraform-like: symbols, one line per id, reasons
 * beside, totals last. Blockers and warnings are problems, bound for stderr;
 * the rest is the view, for stdout.
 */
import { isBlocked, summarize, type Action, type Change, type Plan } from "../plan/model.js";
import type { EntityKind } from "../state/model.js";
import { escaped, hasHiddenCharacters, quoted } from "../text/escape.js";
import { count, formatNumber } from "../text/plural.js";
import { attributesText } from "./change-attributes.js";
import { isPlainDeletion, reasonText } from "./change-reason.js";
import { blockerAdvice, describeBlocker } from "./blocker-text.js";
import type { Palette } from "./colour.js";
import { HIDDEN_ID_NOTE, hiddenIdsWarning, planIds } from "./hidden-ids.js";
import { joinPieces, problemText, viewText, type Piece } from "./pieces.js";

const SYMBOL: Record<Action, string> = { delete: "-", absent: "=", forget: "~" };
const LEGEND: Record<Action, string> = {
  delete: "delete",
  absent: "already absent: recorded in the state, no API call",
  forget: "forget: dropped from the state, no API call",
};
const ACTION_ORDER: Action[] = ["delete", "absent", "forget"];
const KIND_LABEL: Record<EntityKind, string> = { resource: "resource", resourceType: "resourceType" };
const PIECE_SIZE = 1 << 15;

/** The whole text, view and problems in the order a terminal shows them. */
export function renderPlanText(plan: Plan, p: Palette): string {
  return joinPieces(planTextPieces(plan, p));
}

/**
 * The view in pieces of about 32 KB (under V8's 128 KB limit for a young
 * string, so each is freed as soon as it is written), never a million-line
 * string, then the problems, then the totals. `brief` leaves out the lists
 * of ids: only the problems and the totals.
 */
export function* planTextPieces(plan: Plan, p: Palette, brief = false): Generator<Piece> {
  if (plan.changes.length === 0) {
    yield viewText(`${p.green(p.bold("No changes."))} The tenant and the state already match the manifest.\n`);
    return;
  }
  if (!brief) yield* planBody(plan, p);
  const problems = planProblems(plan, p);
  if (problems.length > 0) yield problemText((brief ? "" : "\n") + problems.join("\n\n") + "\n");
  yield viewText(`${brief && problems.length === 0 ? "" : "\n"}${planSummaryLine(plan, p)}\n`);
}

function* planBody(plan: Plan, p: Palette): Generator<Piece> {
  let lines: string[] = [];
  let size = 0;
  const flush = function* () {
    if (lines.length > 0) yield viewText(lines.join("\n") + "\n");
    lines = [];
    size = 0;
  };
  const used = ACTION_ORDER.filter((action) => plan.changes.some((c) => c.action === action));
  lines.push("Actions are shown with these symbols:");
  for (const action of used) lines.push(`  ${paint(action, SYMBOL[action], p)} ${LEGEND[action]}`);
  lines.push(
    "",
    isBlocked(plan)
      ? "decom would perform the following actions, if the plan were not blocked:"
      : "decom will perform the following actions:",
    "",
  );
  let width = 0;
  for (const c of plan.changes) width = Math.min(60, Math.max(width, label(c).length));
  for (const action of used) {
    for (const change of plan.changes) {
      if (change.action !== action) continue;
      // What the id is, in full colour: the reviewer reads it; the rest of the note, dimmed.
      const rest = describe(change);
      const note = [attributesText(change), rest && p.dim(rest)].filter(Boolean).join("; ");
      const text = label(change);
      const noteColumn = note ? `${" ".repeat(Math.max(2, width - text.length + 2))}${note}` : "";
      const line = `  ${paint(action, `${SYMBOL[action]} ${text}`, p)}${noteColumn}`;
      lines.push(line);
      size += line.length + 1;
      if (size >= PIECE_SIZE) yield* flush();
    }
  }
  if (plan.selectors.length > 0) {
    lines.push("", "Selectors, resolved on the tenant now (apply deletes these ids, never a fresh match):");
    for (const s of plan.selectors) lines.push(`  ${escaped(s.entry)}  ${p.dim(`matched ${count(s.matched, "resource")}`)}`);
  }
  if (plan.targets.length > 0) {
    lines.push(
      "",
      p.yellow(
        `Targeted plan: limited to ${plan.targets.map((t) => `--target ${escaped(t)}`).join(", ")} ` +
          `and what ${plan.targets.length === 1 ? "it depends" : "they depend"} on.`,
      ),
    );
    lines.push("Other changes the manifest calls for are left out; plan without --target when this is done.");
  }
  if (plan.waves.length > 0) {
    lines.push("", ...renderWaves(plan));
  }
  yield* flush();
}

/** The blockers with what to do about them, and the warning about escaped ids: each a block of lines. */
function planProblems(plan: Plan, p: Palette): string[] {
  const blocks: string[] = [];
  if (isBlocked(plan)) {
    const lines = [p.red(p.bold(`Error: the plan is blocked (${count(plan.blockers.length, "problem")}); apply will refuse it:`))];
    for (const b of plan.blockers) lines.push(`  ${p.red("✗")} ${describeBlocker(b)}`);
    lines.push(...blockerAdvice(plan.blockers));
    blocks.push(lines.join("\n"));
  }
  const warning = hiddenIdsWarning(planIds(plan));
  if (warning) blocks.push(p.yellow(`Warning: ${warning}`));
  return blocks;
}

export function planSummaryLine(plan: Plan, p: Palette): string {
  const s = summarize(plan.changes);
  const line =
    `${p.bold("Plan:")} ${formatNumber(s.delete)} to delete, ${formatNumber(s.absent)} already absent, ` +
    `${formatNumber(s.forget)} to forget.`;
  return isBlocked(plan) ? `${line} ${p.red("Blocked.")}` : line;
}

function renderWaves(plan: Plan): string[] {
  const batches = plan.waves.reduce((n, w) => n + w.batches.length, 0);
  const lines = [
    `Execution: ${count(plan.waves.length, "wave")}, ${count(batches, "batch", "batches")} ` +
      `of at most ${formatNumber(plan.batchSize)} ids; each wave starts when the one before has finished.`,
  ];
  plan.waves.forEach((wave, index) => {
    const ids = wave.batches.reduce((n, b) => n + b.body.query.ids.length, 0);
    const what = wave.kind === "resource" ? count(ids, "resource") : count(ids, "resource type");
    const why = wave.kind === "resource" && index > 0 ? " (parents of earlier waves)" : "";
    lines.push(`  wave ${formatNumber(index + 1)}: ${what}${why} in ${count(wave.batches.length, "batch", "batches")}`);
  });
  return lines;
}

function describe(change: Change): string {
  const parts: string[] = [];
  if (hasHiddenCharacters(change.id)) parts.push(HIDDEN_ID_NOTE);
  // A reason can carry the server's error text from the state: escaped like every server string.
  if (!isPlainDeletion(change.reason)) parts.push(escaped(reasonText(change.reason)));
  if (change.action === "delete" && change.kind === "resource") {
    parts.push(change.cascade && change.cascade.length > 0 ? `cascade: ${change.cascade.join(", ")}` : "no cascade");
  }
  return parts.join("; ");
}

function label(change: Change): string {
  return `${KIND_LABEL[change.kind]} ${quoted(change.id)}`;
}

function paint(action: Action, text: string, p: Palette): string {
  return action === "delete" ? p.red(text) : action === "forget" ? p.yellow(text) : p.dim(text);
}
