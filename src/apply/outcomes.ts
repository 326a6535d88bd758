/**
 * What a finished batch means for each of its ids (spec §4): success → deleted;
 * failure 404 → absent; any other failure → failed with the server's text.
 * An id the batch does not mention is failed too, so that the next plan looks at it again.
 */
import type { RecordStatus } from "../state/model.js";
import type { BatchIdResult } from "../waylay/wire.js";

export interface IdOutcome {
  id: string;
  status: RecordStatus;
  statusCode?: number;
  error?: string;
}

export function outcomesFromResults(ids: readonly string[], results: ReadonlyMap<string, BatchIdResult>): IdOutcome[] {
  return ids.map((id) => {
    const result = results.get(id);
    if (!result) return { id, status: "failed", error: "the finished batch reported no result for this id" };
    if (result.ok) return { id, status: "deleted" };
    if (result.statusCode === 404) return { id, status: "absent" };
    const outcome: IdOutcome = { id, status: "failed", error: result.error ?? "no error text" };
    if (Number.isInteger(result.statusCode)) outcome.statusCode = result.statusCode;
    return outcome;
  });
}
