/**
 * The archive: every document decom deletes, written beside the state before
 * the batch that deletes it is sent, and every restore of one. It is the audit
 * trail of both directions and what `decom restore` recreates from. One line
 * per entity (`schemas/archive.schema.json`), appended, never rewritten.
 */
import type { CascadeOption } from "../manifest/model.js";
import type { EntityKind } from "../state/model.js";

/** A document exactly as the tenant's listing returned it: an object with its id. */
export type ArchivedDocument = { id: string; [field: string]: unknown };

/** Where a line came from: the apply, its batch, the tenant, and what that batch's cascade removed with it. */
export interface ArchivedAt {
  apply?: number;
  seq: number;
  time: string;
  endpoint?: string;
  cascade?: CascadeOption[];
}

export interface ArchivedLine {
  archived: { kind: EntityKind; id: string; document: ArchivedDocument } & ArchivedAt;
}

export interface RestoredLine {
  restored: { kind: EntityKind; id: string; time: string };
}

export type ArchiveLine = ArchivedLine | RestoredLine;

/** `X.archive.jsonl` beside `X.state.json` (a state named otherwise: its name less `.json`, or its whole name). */
export function archivePathFor(statePath: string): string {
  const stem = statePath.endsWith(".state.json")
    ? statePath.slice(0, -".state.json".length)
    : statePath.endsWith(".json")
      ? statePath.slice(0, -".json".length)
      : statePath;
  return `${stem}.archive.jsonl`;
}
