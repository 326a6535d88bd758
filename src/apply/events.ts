/** What an apply reports while it runs; views turn these into progress lines. */
import type { EntityKind } from "../state/model.js";

/** Why an apply started no further wave. */
export type HaltReason = "credentials-refused" | "interrupted" | "batch-in-flight" | "archive-failed";

export type ApplyEvent =
  | { type: "wave-started"; wave: number; waves: number; kind: EntityKind; batches: number; ids: number }
  | { type: "batch-submitted"; wave: number; batchId: string; ids: number }
  | { type: "batch-finished"; wave: number; batchId?: string; deleted: number; absent: number; failed: number }
  /** The POST's answer was lost; decom is checking which ids are gone before submitting the rest again. */
  | { type: "batch-unacknowledged"; wave: number; ids: number; error: string }
  /** The batch (accepted, or unacknowledged: no batchId) could not be seen to its end; it stays in flight for the next run. */
  | { type: "batch-in-flight"; wave: number; batchId?: string; ids: number; error: string }
  | { type: "wave-finished"; wave: number }
  /** Waves after this one were not started, for `reason` (the views write the words). */
  | { type: "waves-halted"; wave: number; reason: HaltReason }
  /** An interrupted apply's batches, followed (or checked) before anything else. */
  | { type: "resume-started"; batches: number; ids: number }
  /** The documents of a batch could not be archived: it was not sent, and no further batch is. */
  | { type: "archive-failed"; wave: number; ids: number; error: string };
