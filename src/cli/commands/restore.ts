/** `decom restore [ID…] [--all]`: recreate archived documents, never overwriting, after a yes. */
import { fail } from "../../diagnostics.js";
import { restore } from "../../operations/restore.js";
import { restoreView } from "../../views/commands/restore-view.js";
import { HELP_OPTION, LOCK_HELP, LOCK_OPTIONS, parseCommandArgs, TENANT_HELP, TENANT_OPTIONS } from "../args.js";
import { confirm } from "../confirm.js";
import { outputOf, type Io } from "../io.js";
import { tenantOptions } from "../tenant-options.js";

export const help = `Usage: decom restore [ID...] [--all] [options]

Creates again what decom deleted, from the archive apply writes beside the
state (X.archive.jsonl beside X.state.json): each document as the tenant held
it, less the fields the service manages, through the create operations
(POST /resources/v1/resourcetypes, POST /resources/v1/resources), resource
types first, then parents before their children.

It never overwrites: the ids are looked up first (100 a request), and one that
exists is left as it is, as is one another create beat it to (409). A 400 is
that id's failure with the server's words, and what depends on it (its
children, a type's resources) is not attempted. An id the manifest still names
is refused before any request (the next apply would delete it again): take its
entry out first. An id a selector of the manifest brought in is warned about.

Each id created gets a "restored" line in the archive, and its record leaves
the state (decom no longer manages it), under the state's lock. Restore
recreates documents only: measurements, alarms and tasks a cascade removed are
gone for good.

Options:
      --all               every archived entity not restored since
      --archive FILE      the archive (default: X.archive.jsonl beside X.state.json)
      --auto-approve      do not ask for confirmation
${TENANT_HELP}
${LOCK_HELP}
      --request-timeout T one HTTP request, per attempt (default: 30s)

Examples:
  decom restore gw-namur-01 gw-namur-02
  decom restore --all --auto-approve
  decom restore --archive prod/retire.archive.jsonl -f prod/retire.yaml --all
`;

export const options = {
  ...TENANT_OPTIONS,
  ...LOCK_OPTIONS,
  all: { type: "boolean" },
  archive: { type: "string" },
  "auto-approve": { type: "boolean" },
  "request-timeout": { type: "string" },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("restore", args, options, Number.POSITIVE_INFINITY);
  const json = values.json === true;
  const tenant = tenantOptions("restore", values, io);
  const ask = values["auto-approve"] !== true;
  // Before anything is read, so that a CI job fails at once rather than hang.
  if (ask && (json || !io.stdin.isTTY))
    fail(
      "restore.needs-approval",
      `decom restore: not asking for confirmation ${json ? "with --json" : "without a terminal"}; pass --auto-approve to restore`,
    );
  const view = restoreView(outputOf(io), { json });
  const stop = io.interrupts?.().stop;
  const result = await restore({
    ...tenant,
    ids: positionals,
    all: values.all === true,
    ...(values.archive !== undefined ? { archive: values.archive } : {}),
    stop,
    onListing: (listing) => view.listing(listing),
    onOutcome: (outcome) => view.outcome(outcome),
    ...(ask
      ? {
          approve: (listing) =>
            listing.toCreate.length === 0 ||
            confirm(
              io,
              "Do you want to create these again?",
              "decom will create what the list above shows; what exists is left as it is.",
              stop,
            ),
        }
      : {}),
  });
  if (result.status === "interrupted") {
    view.interrupted();
    return 130;
  }
  if (result.status === "cancelled") {
    view.cancelled(result.listing);
    return stop?.aborted ? 130 : 1;
  }
  view.summary(result.outcomes, result.listing, stop?.aborted === true);
  if (stop?.aborted) return 130;
  return result.outcomes.some((o) => o.outcome === "failed" || o.outcome === "skipped") ? 1 : 0;
}
