/** One sentence per blocker, for every view. */
import type { Blocker } from "../plan/model.js";
import { escaped, quoted } from "../text/escape.js";
import { count, formatNumber } from "../text/plural.js";

/**
 * `quote` renders each id; the default escapes it (text views). A blocker that
 * comes from a manifest entry ends with where it is written, `(manifest line
 * 12356)`, or with `manifestName` when the caller knows the file (a diagnostic,
 * escaped when printed). The line is a plain number, as in `decom.yaml:12356:5`.
 */
export function describeBlocker(b: Blocker, quote: (id: string) => string = quoted, manifestName = "manifest"): string {
  const sentence = blockerSentence(b, quote);
  return "source" in b && b.source ? `${sentence} (${manifestName} line ${b.source.line})` : sentence;
}

function blockerSentence(b: Blocker, quote: (id: string) => string): string {
  switch (b.code) {
    case "children-outside-plan":
      return (
        `resource ${quote(b.id)} still has ${count(b.count, "child", "children")} ` +
        `the plan does not delete: ${sample(b.ids, b.count, quote)}`
      );
    case "referenced-outside-plan":
      return (
        `resource ${quote(b.id)} is still referred to by ${count(b.count, "resource")} ` +
        `the plan does not delete: ${sample(b.ids, b.count, quote)}`
      );
    case "type-in-use":
      return (
        `resourceType ${quote(b.id)} is still used by ${count(b.count, "resource")} ` +
        `the plan does not delete: ${sample(b.ids, b.count, quote)}`
      );
    case "protected-resource":
      return `resource ${quote(b.id)} is protected (protect.resources), and ${quote(b.entry)} matched it`;
    case "protected-resource-type":
      return `resourceType ${quote(b.id)} is protected (protect.resourceTypes)`;
    case "in-flight": {
      const batch = b.batchId !== undefined ? `batch ${escaped(b.batchId)}` : "an unacknowledged batch";
      const ids = count(b.count, b.kind === "resource" ? "resource" : "resource type");
      return (
        `${batch} of an earlier apply is still in flight with ${ids} this plan would delete again: ${sample(b.ids, b.count, quote)}; ` +
        "plan again once it has settled (plan and apply follow it first)"
      );
    }
    case "max-deletes":
      return (
        `the plan deletes ${count(b.deletes, "resource or resource type", "resources and resource types")}; ` +
        `guard.maxDeletes allows ${formatNumber(b.limit)}`
      );
  }
}

function sample(ids: readonly string[], total: number, quote: (id: string) => string): string {
  const shown = ids.map(quote).join(", ");
  return total > ids.length ? `${shown} and ${formatNumber(total - ids.length)} more` : shown;
}

/**
 * What to do about the blockers, one line per kind present: a dependency wants
 * the dependents added (or the deletion dropped), a protect match a narrower
 * selector, the guard a higher limit or a smaller plan. An in-flight blocker
 * says what to do in its own sentence.
 */
export function blockerAdvice(blockers: readonly Blocker[]): string[] {
  const codes = new Set(blockers.map((b) => b.code));
  const advice: string[] = [];
  if (codes.has("children-outside-plan") || codes.has("type-in-use") || codes.has("referenced-outside-plan"))
    advice.push(DEPENDENCY_ADVICE);
  if (codes.has("protected-resource") || codes.has("protected-resource-type")) advice.push(PROTECT_ADVICE);
  if (codes.has("max-deletes")) advice.push(GUARD_ADVICE);
  return advice;
}

const DEPENDENCY_ADVICE = "Add what still depends on these to the manifest, or take these out of it; then plan again.";
const PROTECT_ADVICE =
  "Narrow the selector so it no longer matches what is protected, or take that id out of protect if it may go; then plan again.";
const GUARD_ADVICE =
  "Raise guard.maxDeletes if that many deletions are meant, or delete in steps (plan --target, or fewer entries); then plan again.";
