/** What an apply reports while it runs; views turn these into progress lines. */
import type { EntityKind } from "../state/model.js";

export type ApplyEvent =
  | { type: "wave-started"; wave: number; waves: number; kind: EntityKind; batches: number; ids: number }
  | { type: "batch-submitted"; wave: number; batchId: string; ids: number }
  | { type: "batch-finished"; wave: number; batchId: string; deleted: number; absent: number; failed: number }
  | { type: "batch-failed"; wave: number; batchId?: string; ids: number; error: string }
  | { type: "wave-finished"; wave: number };
