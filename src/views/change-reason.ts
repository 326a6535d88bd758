/**
 * The words for a change's reason. The planner records a code and its facts
 * (plan/model.ts ChangeReason); every view that shows a reason says it with
 * these words, so rewording one is a change to this file alone.
 */
import type { ChangeReason } from "../plan/model.js";

/** One phrase, unescaped: `error` is the server's text and `time` comes from the state file; views escape it. */
export function reasonText(reason: ChangeReason): string {
  switch (reason.code) {
    case "in-manifest":
      return "in the manifest";
    case "recreated":
      return `recreated since last apply (deleted ${reason.time})`;
    case "created-since-absent":
      return `created since last apply (absent at ${reason.time})`;
    case "retry-failed": {
      const status = reason.statusCode !== undefined ? `${reason.statusCode}: ` : "";
      return `retrying: last attempt failed (${status}${reason.error ?? "no error text"})`;
    }
    case "not-found":
      return "not found on the tenant";
    case "gone-since-failure":
      return "gone since the failed attempt";
    case "entry-removed":
      return "no longer in the manifest";
    case "selector-removed":
      return "its selector is no longer in the manifest";
  }
}

/** Whether a view may leave the reason out: a deletion the manifest asks for needs no explanation beside it. */
export function isPlainDeletion(reason: ChangeReason): boolean {
  return reason.code === "in-manifest";
}
