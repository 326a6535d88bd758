/** What `decom state rm` shows: the records it is about to forget, then what it forgot. */
import type { ListedRecord } from "../../state/records.js";
import { quoted } from "../../text/escape.js";
import { count } from "../../text/plural.js";
import { hiddenIdsWarning } from "../hidden-ids.js";
import type { Output } from "../output.js";
import { recordRows } from "../state-record-text.js";

export class StateRmHumanView {
  constructor(private readonly out: Output) {}

  /** Before the question. */
  toRemove(records: readonly ListedRecord[]): void {
    this.warnHidden(records);
    this.out.stdout(
      `decom state rm will forget ${records.length === 1 ? "this record" : `these ${count(records.length, "record")}`}:\n` +
        recordRows(records)
          .map((row) => `  ${row}\n`)
          .join(""),
    );
  }

  /** `warn`: whether the escaped ids still need the warning (not said before a question). */
  removed(records: readonly ListedRecord[], state: string, serial: number, warn: boolean): void {
    if (warn) this.warnHidden(records);
    const lines = records.map((r) => `Removed ${r.kind} ${quoted(r.id)}.\n`);
    this.out.stdout(`${lines.join("")}Removed ${count(records.length, "record")} from ${state} (serial ${serial}).\n`);
  }

  cancelled(): void {
    this.out.stderr("State rm cancelled. Nothing was removed.\n");
  }

  private warnHidden(records: readonly ListedRecord[]): void {
    const warning = hiddenIdsWarning(records.map((r) => r.id));
    if (warning) this.out.stderr(`Warning: ${warning}\n`);
  }
}
