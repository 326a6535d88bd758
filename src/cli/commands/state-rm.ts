/** `decom state rm ID…`: forget records, under the lock, after a yes. */
import { formatDiagnostic, fail } from "../../diagnostics.js";
import { stateRm } from "../../operations/state.js";
import { StateRmHumanView } from "../../views/commands/state-rm-view.js";
import { FILE_OPTIONS, HELP_OPTION, LOCK_HELP, LOCK_OPTIONS, lockTimeout, parseCommandArgs } from "../args.js";
import { confirm } from "../confirm.js";
import { outputOf, type Io } from "../io.js";

export const help = `Usage: decom state rm ID... [--auto-approve] [-f decom.yaml] [--state FILE]

Forgets every record of each ID (of a resource, a resource type, or both), as
"terraform state rm": nothing is sent to the tenant, and the next plan plans
an id the manifest still names afresh (a saved plan made before is stale).
Prints the records and asks for confirmation (only "yes" proceeds); without a
terminal it refuses unless given --auto-approve. An ID not in the state, or
in a batch still in flight, is an error and nothing is removed.

The state is locked while rm runs (<state>.lock); the removal is journaled,
then written into the state file once (serial + 1, the lineage kept).

Options:
      --auto-approve      do not ask for confirmation
  -f, --manifest FILE     manifest whose state to edit (default: decom.yaml)
      --state FILE        state file (default: X.state.json beside manifest X.yaml)
${LOCK_HELP}

Examples:
  decom state rm gw-namur-01 gw-namur-02
  decom state rm --auto-approve --state prod/retire.state.json gw-namur-01
  decom state rm -- -odd-id
`;

export const options = { ...FILE_OPTIONS, ...LOCK_OPTIONS, "auto-approve": { type: "boolean" }, ...HELP_OPTION } as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("state rm", args, options, Number.POSITIVE_INFINITY);
  if (positionals.length === 0) fail("usage.missing-argument", "decom state rm: which ids? e.g. decom state rm gw-namur-01");
  const lockTimeoutMs = lockTimeout("state rm", values["lock-timeout"]);
  const ask = values["auto-approve"] !== true;
  // Before the state is read, so that a CI job fails at once rather than hang.
  if (ask && !io.stdin.isTTY)
    fail(
      "state-rm.needs-approval",
      "decom state rm: not asking for confirmation without a terminal; pass --auto-approve to remove the records",
    );
  const view = new StateRmHumanView(outputOf(io));
  // Ctrl-C while waiting for the lock, or at the question, cancels; a lock taken is released, not left for force-unlock.
  const interrupt = io.interrupts?.().stop;
  const outcome = await stateRm(positionals, {
    manifest: values.manifest,
    state: values.state,
    cwd: io.cwd,
    lockTimeoutMs,
    stop: interrupt,
    ...(io.disk ? { disk: io.disk } : {}),
    onWarning: (w) => io.stderr.write(`${formatDiagnostic(w)}\n`),
    ...(ask
      ? {
          approve: (records) => {
            view.toRemove(records);
            return confirm(
              io,
              "Do you want to remove these records from the state?",
              "Nothing is sent to the tenant; the next plan plans these ids afresh if the manifest names them.",
              interrupt,
            );
          },
        }
      : {}),
  });
  if (outcome.status !== "removed") {
    view.cancelled();
    return interrupt?.aborted ? 130 : 1;
  }
  view.removed(outcome.removed, outcome.state, outcome.serial, !ask);
  return 0;
}
