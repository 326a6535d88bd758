/**
 * What `decom restore` shows: a human and a JSON implementation, chosen once
 * from --json. The listing reads like a plan (`+` to create, `=` left as it
 * is, each with what the archive says it is); outcomes that need attention go
 * to stderr, the summary to stdout.
 */
import type { RestoreOutcome } from "../../restore/execute.js";
import type { ListedEntity, RestoreListing } from "../../restore/model.js";
import { escaped, quoted } from "../../text/escape.js";
import { count, formatNumber } from "../../text/plural.js";
import { attributesText } from "../change-attributes.js";
import { hiddenIdsWarning } from "../hidden-ids.js";
import type { Output } from "../output.js";

export interface RestoreView {
  listing(listing: RestoreListing): void;
  outcome(outcome: RestoreOutcome): void;
  /** `interrupted`: Ctrl-C stopped it; what was not attempted was not for want of anything. */
  summary(outcomes: readonly RestoreOutcome[], listing: RestoreListing, interrupted?: boolean): void;
  cancelled(listing: RestoreListing): void;
  interrupted(): void;
}

export function restoreView(out: Output, options: { json: boolean }): RestoreView {
  return options.json ? new RestoreJsonView(out) : new RestoreHumanView(out);
}

/** What no restore brings back, said whenever something is to be created. */
export const NOT_BROUGHT_BACK =
  "Restore recreates documents only: measurements, alarms and tasks a cascade removed are gone for good.\n" +
  "Without a cascade the platform kept them, and the recreated resource has them again.";

export interface RestoreCounts {
  created: number;
  existing: number;
  failed: number;
  skipped: number;
}

export function restoreCounts(outcomes: readonly RestoreOutcome[], listing: RestoreListing): RestoreCounts {
  const counts: RestoreCounts = { created: 0, existing: listing.existing.length, failed: 0, skipped: 0 };
  for (const o of outcomes) {
    if (o.outcome === "created") counts.created++;
    else if (o.outcome === "exists") counts.existing++;
    else if (o.outcome === "failed") counts.failed++;
    else counts.skipped++;
  }
  return counts;
}

export class RestoreHumanView implements RestoreView {
  constructor(private readonly out: Output) {}

  listing(listing: RestoreListing): void {
    if (listing.toCreate.length + listing.existing.length === 0) {
      this.out.stdout(`Nothing to restore: every document in ${listing.archive} was restored since it was archived.\n`);
      return;
    }
    const warning = hiddenIdsWarning([...listing.toCreate, ...listing.existing].map((e) => e.id));
    if (warning) this.out.stderr(`Warning: ${warning}\n`);
    const lines: string[] = [];
    if (listing.toCreate.length > 0) {
      lines.push(
        `decom restore will create ${count(listing.toCreate.length, "entity", "entities")} from ${listing.archive}, ` +
          "resource types first, then parents before their children:",
        "",
        ...listing.toCreate.map((e) => `  + ${entityLine(e)}`),
        "",
      );
    }
    if (listing.existing.length > 0) {
      lines.push("Left as they are (they exist on the tenant; restore never overwrites):", "");
      lines.push(...listing.existing.map((e) => `  = ${e.kind} ${quoted(e.id)}  exists, left as is`), "");
    }
    const cascaded = listing.toCreate.filter((e) => e.cascade !== undefined);
    if (listing.toCreate.length > 0) {
      for (const e of cascaded.slice(0, 10))
        lines.push(`${e.kind} ${quoted(e.id)} was deleted with cascade ${e.cascade!.join(", ")}: those are not brought back`);
      if (cascaded.length > 10) lines.push(`… and ${count(cascaded.length - 10, "more id")} deleted with a cascade`);
      lines.push(NOT_BROUGHT_BACK, "");
    }
    lines.push(`Restore: ${formatNumber(listing.toCreate.length)} to create, ${formatNumber(listing.existing.length)} left as they are.`);
    this.out.stdout(`${lines.join("\n")}\n`);
  }

  /** "Not attempted" lines said so far: after SKIPPED_SHOWN, the summary counts the rest. */
  private skippedShown = 0;

  outcome(o: RestoreOutcome): void {
    if (o.outcome === "failed")
      this.out.stderr(`Failed ${o.kind} ${quoted(o.id)}: ${o.statusCode ?? "error"} ${escapedMessage(o.message)}\n`);
    else if (o.outcome === "skipped") {
      if (this.skippedShown++ < SKIPPED_SHOWN) this.out.stderr(`Not attempted ${o.kind} ${quoted(o.id)}: ${o.message}\n`);
      else if (this.skippedShown === SKIPPED_SHOWN + 1) this.out.stderr("… more not attempted (counted in the summary)\n");
    } else if (o.outcome === "exists") this.out.stderr(`${o.kind} ${quoted(o.id)} exists, left as is: ${escapedMessage(o.message)}\n`);
  }

  summary(outcomes: readonly RestoreOutcome[], listing: RestoreListing, interrupted = false): void {
    if (listing.toCreate.length + listing.existing.length === 0) return;
    const c = restoreCounts(outcomes, listing);
    const head = interrupted ? "Restore interrupted" : c.failed + c.skipped > 0 ? "Restore finished with failures" : "Restore complete";
    const skipped = c.skipped > 0 ? `, ${formatNumber(c.skipped)} not attempted` : "";
    this.out.stdout(
      `${head}: ${formatNumber(c.created)} created, ${formatNumber(c.existing)} left as they were, ` +
        `${formatNumber(c.failed)} failed${skipped}.\n`,
    );
  }

  cancelled(): void {
    this.out.stderr("Restore cancelled. Nothing was created.\n");
  }

  interrupted(): void {
    this.out.stderr("Restore interrupted. Nothing was created.\n");
  }
}

const SKIPPED_SHOWN = 20;

function entityLine(e: ListedEntity): string {
  const attributes = attributesText(e);
  return `${e.kind} ${quoted(e.id)}${attributes ? `  ${attributes}` : ""}`;
}

/** A server's words, inside decom's sentence. */
const escapedMessage = (message: string) => escaped(message);

/** One JSON object per line (schemas/events.schema.json): `restore_listed`, `restore_outcome`, `restore_summary`. */
export class RestoreJsonView implements RestoreView {
  constructor(private readonly out: Output) {}

  listing(listing: RestoreListing): void {
    for (const e of listing.toCreate) this.line({ type: "restore_listed", ...e, action: "create" });
    for (const e of listing.existing) this.line({ type: "restore_listed", ...e, action: "exists" });
  }

  outcome(o: RestoreOutcome): void {
    this.line({ type: "restore_outcome", ...o });
  }

  summary(outcomes: readonly RestoreOutcome[], listing: RestoreListing, interrupted = false): void {
    const c = restoreCounts(outcomes, listing);
    this.line({
      type: "restore_summary",
      status: interrupted ? "interrupted" : c.failed + c.skipped > 0 ? "finished-with-failures" : "complete",
      archive: listing.archive,
      ...c,
    });
  }

  cancelled(listing: RestoreListing): void {
    this.line({ type: "restore_summary", status: "cancelled", archive: listing.archive, created: 0, existing: 0, failed: 0, skipped: 0 });
  }

  interrupted(): void {
    this.line({ type: "restore_summary", status: "interrupted", created: 0, existing: 0, failed: 0, skipped: 0 });
  }

  private line(object: Record<string, unknown>): void {
    this.out.stdout(`${JSON.stringify({ ...object, timestamp: new Date().toISOString() })}\n`);
  }
}
