/** What `decom state show` shows: a human and a JSON implementation, chosen once from --json. */
import type { ShownRecord } from "../../state/records.js";
import { hiddenIdsWarning } from "../hidden-ids.js";
import { stateRecordDetailLine } from "../json-lines.js";
import type { Output } from "../output.js";
import { recordDetailText } from "../state-record-text.js";

export interface StateShowView {
  /** Every record of one id: a resource and a resource type may share it. */
  records(records: readonly ShownRecord[]): void;
}

export function stateShowView(out: Output, options: { json: boolean }): StateShowView {
  return options.json ? new StateShowJsonView(out) : new StateShowHumanView(out);
}

/** A block per record, a blank line between; the warning about an escaped id goes to stderr. */
export class StateShowHumanView implements StateShowView {
  constructor(private readonly out: Output) {}

  records(records: readonly ShownRecord[]): void {
    const warning = hiddenIdsWarning(records.slice(0, 1).map((r) => r.id));
    if (warning) this.out.stderr(`Warning: ${warning}\n`);
    this.out.stdout(records.map(recordDetailText).join("\n"));
  }
}

/** One `state_record_detail` (schemas/events.schema.json) per record. */
export class StateShowJsonView implements StateShowView {
  constructor(private readonly out: Output) {}

  records(records: readonly ShownRecord[]): void {
    for (const record of records) this.out.stdout(stateRecordDetailLine(record));
  }
}
