/** `decom state show ID`: every record of one id, with its apply and history. */
import { formatDiagnostic, fail } from "../../diagnostics.js";
import { stateShow } from "../../operations/state.js";
import { stateShowView } from "../../views/commands/state-show-view.js";
import { FILE_OPTIONS, HELP_OPTION, parseCommandArgs } from "../args.js";
import { outputOf, type Io } from "../io.js";

export const help = `Usage: decom state show ID [--json] [-f decom.yaml] [--state FILE]

Shows every record of ID (a resource and a resource type may share an id):
its status, time, manifest entry, batch id, cascade, and for a failure the
status code and error; the apply that recorded it, with that apply's saved
plan (by digest) and start time; then its history, each outcome it replaced,
newest first, with the same fields. An id not in the state exits 1. Reads
without the lock, the tenant or credentials.

Options:
      --json              one JSON object per record (state_record_detail, schemas/events.schema.json)
  -f, --manifest FILE     manifest whose state to read (default: decom.yaml)
      --state FILE        state file (default: X.state.json beside manifest X.yaml)

Examples:
  decom state show gw-namur-01
  decom state show gw-namur-01 --json
  decom state show -- -odd-id
`;

export const options = { ...FILE_OPTIONS, json: { type: "boolean" }, ...HELP_OPTION } as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("state show", args, options, 1);
  const id = positionals[0];
  if (id === undefined) return fail("usage.missing-argument", "decom state show: which id? e.g. decom state show gw-namur-01");
  const result = stateShow(id, {
    manifest: values.manifest,
    state: values.state,
    cwd: io.cwd,
    ...(io.disk ? { disk: io.disk } : {}),
    onWarning: (w) => io.stderr.write(`${formatDiagnostic(w)}\n`),
  });
  stateShowView(outputOf(io), { json: values.json === true }).records(result.records);
  return 0;
}
