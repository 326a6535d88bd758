/**
 * A plan as a pull request comment: the summary and any blockers first, counts
 * in a table, then each list of ids folded in <details>. The whole comment
 * stays under GitHub's 65,536-character limit: lists are cut where the budget
 * ends, and the comment says how many ids it left out.
 */
import { EXPLICIT_ENTRY } from "../manifest/model.js";
import { isBlocked, summarize, type Action, type Change, type Plan } from "../plan/model.js";
import type { EntityKind } from "../state/model.js";
import { escaped, hasHiddenCharacters, quoted } from "../text/escape.js";
import { count, formatNumber } from "../text/plural.js";
import { attributesText, deletionsByType } from "./change-attributes.js";
import { isPlainDeletion, reasonText } from "./change-reason.js";
import { blockerAdvice, describeBlocker } from "./blocker-text.js";
import { HIDDEN_ID_NOTE, hiddenIdsWarning, planIds } from "./hidden-ids.js";

export const GITHUB_COMMENT_LIMIT = 65_536;

export function renderPlanMarkdown(plan: Plan, planFile: string, limit = GITHUB_COMMENT_LIMIT - 1_536): string {
  const s = summarize(plan.changes);
  const head: string[] = [
    `### decom plan: ${formatNumber(s.delete)} to delete, ${formatNumber(s.absent)} already absent, ` +
      `${formatNumber(s.forget)} to forget${isBlocked(plan) ? " (blocked)" : ""}`,
    "",
  ];
  const warning = hiddenIdsWarning(planIds(plan), code);
  if (warning) head.push("> [!WARNING]", `> ${warning}`, "");

  if (isBlocked(plan)) {
    head.push("> [!CAUTION]", `> **Blocked: apply will refuse this plan** (${count(plan.blockers.length, "problem")}).`, ">");
    const budget = Math.floor(limit / 2);
    let used = 0;
    let shown = 0;
    for (const b of plan.blockers) {
      const line = `> - ${describeBlocker(b, codeId)}`;
      if (used + line.length > budget) break;
      head.push(line);
      used += line.length + 1;
      shown++;
    }
    if (shown < plan.blockers.length)
      head.push(
        `> - … and ${count(plan.blockers.length - shown, "more blocker", "more blockers")} (all are in ${code(escaped(planFile))})`,
      );
    const advice = blockerAdvice(plan.blockers);
    if (advice.length > 0) head.push(">", ...advice.map((line) => `> ${line}`));
    head.push("");
  } else if (plan.changes.length === 0) {
    head.push("No changes: the tenant and the state already match the manifest.", "");
  }

  if (plan.changes.length > 0) {
    head.push("| | delete | already absent | forget |", "|---|---:|---:|---:|");
    for (const kind of ["resource", "resourceType"] as const) {
      const n = (action: Action) => formatNumber(plan.changes.filter((c) => c.kind === kind && c.action === action).length);
      head.push(`| ${kind === "resource" ? "resources" : "resource types"} | ${n("delete")} | ${n("absent")} | ${n("forget")} |`);
    }
    head.push("");
    const byType = typeCounts(plan.changes, Math.floor(limit / 16));
    if (byType) head.push(byType, "");
  }
  const batches = plan.waves.reduce((n, w) => n + w.batches.length, 0);
  head.push(
    [
      `Endpoint ${code(escaped(plan.endpoint))}`,
      `manifest sha256 ${code(plan.manifest.sha256.slice(0, 12))}`,
      plan.state.lineage ? `state ${code(escaped(plan.state.lineage))} serial ${formatNumber(plan.state.serial)}` : "no state yet",
      plan.waves.length > 0
        ? `${count(plan.waves.length, "wave")}, ${count(batches, "batch", "batches")} of at most ${formatNumber(plan.batchSize)} ids`
        : "",
    ]
      .filter(Boolean)
      .join(" · "),
    "",
  );
  if (plan.targets.length > 0)
    head.push(
      `**Targeted plan**: limited to ${plan.targets.map((t) => code(escaped(t))).join(", ")} ` +
        `and what ${plan.targets.length === 1 ? "it depends" : "they depend"} on.`,
      "",
    );
  if (plan.selectors.length > 0) {
    head.push("**Selectors** (resolved when planning; apply deletes exactly the ids listed):", "");
    for (const sel of plan.selectors) head.push(`- ${code(escaped(sel.entry))} matched ${count(sel.matched, "resource")}`);
    head.push("");
  }

  const footer = `\n<sub>Apply exactly this plan with ${code(`decom apply ${escaped(planFile)}`)}.</sub>\n`;
  let budget = limit - length(head) - footer.length - 200;
  const body: string[] = [];
  let leftOut = 0;
  for (const section of sections(plan.changes)) {
    const all = section.changes.map(listLine);
    // Sized for every line, so it is long enough for those the budget keeps.
    const fence = fenceFor(all);
    const opening = [`<details><summary>${section.title}</summary>`, "", `${fence}text`];
    const closing = [fence, "", "</details>", ""];
    const cost = length(opening) + length(closing);
    const lines: string[] = [];
    let spent = cost;
    for (const line of all) {
      if (spent + line.length + 1 > budget) break;
      lines.push(line);
      spent += line.length + 1;
    }
    const missing = section.changes.length - lines.length;
    if (lines.length === 0) {
      leftOut += missing;
      continue;
    }
    if (missing > 0) lines.push(`… and ${formatNumber(missing)} more`);
    leftOut += missing;
    body.push(...opening, ...lines, ...closing);
    budget -= spent;
  }
  if (leftOut > 0)
    body.push(
      `${count(leftOut, "id")} left out of this comment to stay under GitHub's limit; every id is in ${code(escaped(planFile))}.`,
      "",
    );
  return [...head, ...body].join("\n") + footer;
}

/**
 * `Deletions by resource type: 120 × "legacy-thermostat", 48 × "meter", 3 without a type`: most first,
 * within `budget` characters (a tenant may have thousands of types), the rest counted.
 */
function typeCounts(changes: readonly Change[], budget: number): string | undefined {
  const counts = deletionsByType(changes);
  if (counts.length === 0) return undefined;
  const prefix = "Deletions by resource type: ";
  const parts: string[] = [];
  let used = prefix.length;
  let shown = 0;
  for (const [type, n] of counts) {
    const part = type === undefined ? `${formatNumber(n)} without a type` : `${formatNumber(n)} × ${codeId(type)}`;
    // Room kept for the closing "and N more resources of M more types".
    if (used + part.length + 2 > budget - 80) break;
    parts.push(part);
    used += part.length + 2;
    shown++;
  }
  const rest = counts.slice(shown);
  if (rest.length > 0) {
    const resources = rest.reduce((sum, [, n]) => sum + n, 0);
    parts.push(`and ${count(resources, "more resource")} of ${count(rest.length, "more type")}`);
  }
  return prefix + parts.join(", ");
}

const SECTIONS: [Action, EntityKind, string][] = [
  ["delete", "resource", "Delete"],
  ["delete", "resourceType", "Delete"],
  ["absent", "resource", "Already absent"],
  ["absent", "resourceType", "Already absent"],
  ["forget", "resource", "Forget"],
  ["forget", "resourceType", "Forget"],
];

function sections(changes: readonly Change[]): { title: string; changes: Change[] }[] {
  return SECTIONS.flatMap(([action, kind, verb]) => {
    const list = changes.filter((c) => c.action === action && c.kind === kind);
    if (list.length === 0) return [];
    return [{ title: `${verb}: ${count(list.length, kind === "resource" ? "resource" : "resource type")}`, changes: list }];
  });
}

/** The quoted id first, so no line can pass for a fence; quoting keeps it on one line and free of escape sequences. */
function listLine(change: Change): string {
  const note =
    change.action === "delete"
      ? [
          attributesText(change),
          isPlainDeletion(change.reason) ? "" : escaped(reasonText(change.reason)),
          change.entry !== EXPLICIT_ENTRY ? escaped(change.entry) : "",
          change.cascade ? `cascade: ${change.cascade.join(", ") || "none"}` : "",
        ]
      : [escaped(reasonText(change.reason))];
  if (hasHiddenCharacters(change.id)) note.unshift(HIDDEN_ID_NOTE);
  return `${quoted(change.id)}  ${note.filter(Boolean).join("; ")}`.trimEnd();
}

/** Ids are tenant data: the fence is longer than any run of backticks in the lines, so none can end the block. */
function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return "`".repeat(Math.max(3, longest + 1));
}

/** An id in inline code: quoted and escaped, as in the text view. */
function codeId(id: string): string {
  return code(quoted(id));
}

/** Inline code that survives backticks in the text; `text` must already be escaped (one line, no controls). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

function length(lines: readonly string[]): number {
  return lines.reduce((n, line) => n + line.length + 1, 0);
}
