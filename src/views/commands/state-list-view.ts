/** What `decom state list` shows: a human and a JSON implementation, chosen once from --json. */
import type { ListedRecord } from "../../state/records.js";
import { hiddenIdsWarning } from "../hidden-ids.js";
import { recordRows } from "../state-record-text.js";
import { stateRecordLine } from "../json-lines.js";
import type { Output } from "../output.js";

export interface StateListView {
  /** The records, in the order given (by kind, then id). */
  records(records: readonly ListedRecord[]): void;
}

export function stateListView(out: Output, options: { json: boolean }): StateListView {
  return options.json ? new StateListJsonView(out) : new StateListHumanView(out);
}

/** A line per record and nothing else, as `terraform state list`, so that it pipes; the warning about escaped ids goes to stderr. */
export class StateListHumanView implements StateListView {
  constructor(private readonly out: Output) {}

  records(records: readonly ListedRecord[]): void {
    const warning = hiddenIdsWarning(records.map((r) => r.id));
    if (warning) this.out.stderr(`Warning: ${warning}\n`);
    for (const row of recordRows(records)) this.out.stdout(`${row}\n`);
  }
}

/** One `state_record` (schemas/events.schema.json) per line. */
export class StateListJsonView implements StateListView {
  constructor(private readonly out: Output) {}

  records(records: readonly ListedRecord[]): void {
    for (const record of records) this.out.stdout(stateRecordLine(record));
  }
}
