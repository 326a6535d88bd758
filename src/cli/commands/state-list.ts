/** `decom state list`: the state's records, one line each. */
import { formatDiagnostic, fail } from "../../diagnostics.js";
import { RECORD_STATUSES, stateList } from "../../operations/state.js";
import type { RecordStatus } from "../../state/model.js";
import { stateListView } from "../../views/commands/state-list-view.js";
import { FILE_OPTIONS, HELP_OPTION, parseCommandArgs } from "../args.js";
import { outputOf, type Io } from "../io.js";

export const help = `Usage: decom state list [--status deleted|absent|failed] [--json] [-f decom.yaml] [--state FILE]

Lists the records of the state file, one line each, resources first, then
resource types, each by id: kind, id (quoted, and escaped as every view shows
ids), status, and when it was recorded. Nothing else is printed, so it pipes.
Reads the state, and what the journal of an interrupted apply recorded,
without the lock, the tenant or credentials.

Options:
      --status STATUS     only the records of this status: deleted, absent or failed
      --json              one JSON object per line (state_record, schemas/events.schema.json)
  -f, --manifest FILE     manifest whose state to read (default: decom.yaml)
      --state FILE        state file (default: X.state.json beside manifest X.yaml)

Examples:
  decom state list
  decom state list --status failed
  decom state list -f retire-q4.yaml --json
`;

export const options = {
  ...FILE_OPTIONS,
  status: { type: "string" },
  json: { type: "boolean" },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("state list", args, options, 0);
  const status = values.status;
  if (status !== undefined && !RECORD_STATUSES.includes(status as RecordStatus))
    fail("usage.invalid", `decom state list: --status must be one of ${RECORD_STATUSES.join(", ")}, got "${status}"`);
  const result = stateList({
    manifest: values.manifest,
    state: values.state,
    cwd: io.cwd,
    ...(io.disk ? { disk: io.disk } : {}),
    ...(status !== undefined ? { status: status as RecordStatus } : {}),
    onWarning: (w) => io.stderr.write(`${formatDiagnostic(w)}\n`),
  });
  stateListView(outputOf(io), { json: values.json === true }).records(result.records);
  return 0;
}
