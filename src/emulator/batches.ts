/**
 * Batch operations run asynchronously, as on the real service: POST queues one
 * and answers at once. The service's deletion capacity is one worker, first come
 * first served, shared by batches and by single DELETEs: a batch starts when the
 * worker is free (plus a start delay), takes a processing time per id, and only
 * then do its deletions happen and its results appear. So a benchmark compares
 * the two ways of deleting on equal server work, and differs only in requests.
 */
import { randomUUID } from "node:crypto";
import { idRecord } from "../files/id-record.js";
import type { DeleteBatchBody } from "../waylay/wire.js";
import type { DeleteOutcome, Tenant } from "./tenant.js";

export interface BatchTiming {
  /** Delay before a queued batch starts processing. */
  startDelayMs: number;
  /** Processing time per id. */
  perIdMs: number;
}

/** The emulator's user for every batch (a BatchRunningResourceOperation needs one). */
const EMULATOR_USER = "00000000-0000-4000-8000-000000000000";

export interface EmulatedBatch {
  id: string;
  /** 1 for the first batch this service accepted, 2 for the next… */
  seq: number;
  body: DeleteBatchBody;
  queueTime: string;
  finishedTime?: string;
  success?: Record<string, { statusCode: number }>;
  failure?: Record<string, { statusCode: number; error: string }>;
}

export class BatchQueue {
  readonly batches = new Map<string, EmulatedBatch>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private accepted = 0;
  /** When the deletion worker is next free (epoch ms). */
  private workerFreeAt = 0;
  private bookedMs = 0;

  constructor(
    private readonly tenant: Tenant,
    private readonly timing: BatchTiming,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(body: DeleteBatchBody): EmulatedBatch {
    const batch: EmulatedBatch = { id: randomUUID(), seq: ++this.accepted, body, queueTime: this.now().toISOString() };
    this.batches.set(batch.id, batch);
    const duration = this.reserve(body.query.ids.length, this.timing.startDelayMs);
    const timer = setTimeout(() => {
      this.timers.delete(batch.id);
      this.finish(batch);
    }, duration);
    this.timers.set(batch.id, timer);
    return batch;
  }

  /** The service loses the batch before running it: it never runs, and its id is unknown from now on. */
  forget(batch: EmulatedBatch): void {
    clearTimeout(this.timers.get(batch.id));
    this.timers.delete(batch.id);
    this.batches.delete(batch.id);
  }

  /** Books the worker for `ids` deletions; returns the milliseconds until they are done. */
  reserve(ids: number, startDelayMs = 0): number {
    const now = Date.now();
    const done = Math.max(now, this.workerFreeAt) + startDelayMs + this.timing.perIdMs * ids;
    this.workerFreeAt = done;
    this.bookedMs += startDelayMs + this.timing.perIdMs * ids;
    return done - now;
  }

  /** Total processing time booked so far (the benchmark's floor). */
  get busyMs(): number {
    return this.bookedMs;
  }

  /**
   * BatchRunningResourceOperation, or BatchOperationResult once finished. With
   * `quirky`, failure status codes are strings with a trailing comma, exactly
   * as the contract's own example writes them.
   */
  view(batch: EmulatedBatch, quirky = false): Record<string, unknown> {
    const entity = batch.body.entity;
    const n = batch.body.query.ids.length;
    const view: Record<string, unknown> = {
      id: batch.id,
      user: EMULATOR_USER,
      queueTime: batch.queueTime,
      operation: {
        entity,
        action: "delete",
        description: `deleting ${n} ${entity === "resource" ? "resources" : "resourcetypes"}`,
      },
    };
    if (batch.finishedTime) {
      view.finishedTime = batch.finishedTime;
      const failure = quirky
        ? idRecord(Object.entries(batch.failure ?? {}).map(([id, f]) => [id, { statusCode: `${f.statusCode},`, error: f.error }] as const))
        : batch.failure;
      view.results = { success: batch.success, failure };
    }
    return view;
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private finish(batch: EmulatedBatch): void {
    const success = new Map<string, { statusCode: number }>();
    const failure = new Map<string, { statusCode: number; error: string }>();
    for (const id of batch.body.query.ids) {
      const outcome: DeleteOutcome = batch.body.entity === "resource" ? this.tenant.deleteResource(id) : this.tenant.deleteResourceType(id);
      if (outcome.error === undefined) success.set(id, { statusCode: outcome.statusCode });
      else failure.set(id, { statusCode: outcome.statusCode, error: outcome.error });
    }
    // Ids are tenant data: "__proto__" must be a result like any other.
    batch.success = idRecord(success);
    batch.failure = idRecord(failure);
    batch.finishedTime = this.now().toISOString();
  }
}
