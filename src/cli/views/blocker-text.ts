/** One sentence per blocker, for every view. */
import type { Blocker } from "../../plan/model.js";
import { escaped, quoted } from "../../text/escape.js";
import { count } from "../../text/plural.js";

/** `quote` renders each id; the default escapes it (text views). */
export function describeBlocker(b: Blocker, quote: (id: string) => string = quoted): string {
  switch (b.code) {
    case "children-outside-plan":
      return `resource ${quote(b.id)} still has ${count(b.count, "child", "children")} the plan does not delete: ${sample(b.ids, b.count, quote)}`;
    case "type-in-use":
      return `resourceType ${quote(b.id)} is still used by ${count(b.count, "resource")} the plan does not delete: ${sample(b.ids, b.count, quote)}`;
    case "protected-resource":
      return `resource ${quote(b.id)} is protected (protect.resources), and ${quote(b.entry)} matched it`;
    case "protected-resource-type":
      return `resourceType ${quote(b.id)} is protected (protect.resourceTypes)`;
    case "in-flight":
      return `${b.batchId !== undefined ? `batch ${escaped(b.batchId)}` : "an unacknowledged batch"} of an earlier apply is still in flight with ${count(b.count, b.kind === "resource" ? "resource" : "resource type")} this plan would delete again: ${sample(b.ids, b.count, quote)}; plan again once it has settled (plan and apply follow it first)`;
    case "max-deletes":
      return `the plan deletes ${b.deletes} resources and resource types; guard.maxDeletes allows ${b.limit}`;
  }
}

function sample(ids: readonly string[], total: number, quote: (id: string) => string): string {
  const shown = ids.map(quote).join(", ");
  return total > ids.length ? `${shown} and ${total - ids.length} more` : shown;
}

export const BLOCKED_ADVICE =
  "Add what still depends on these to the manifest, remove them from it, or change protect/guard; then plan again.";
