/**
 * Runs a plan's waves against the tenant (spec §4): waves in order, at most
 * `parallelism` batches in flight within a wave; each batch is POSTed, followed
 * to its end, and every id's outcome handed to `onOutcomes`. It never throws
 * for one batch: a batch that could not be submitted or followed reports all
 * its ids as failed, with the reason, so no outcome goes unrecorded.
 */
import { mapConcurrent } from "../async/map-concurrent.js";
import type { Plan, PlannedBatch } from "../plan/model.js";
import type { EntityKind } from "../state/model.js";
import type { WaylayApi } from "../waylay/client.js";
import type { ApplyEvent } from "./events.js";
import { followBatch } from "./follow-batch.js";
import { allFailed, outcomesFromResults, type IdOutcome } from "./outcomes.js";
import { PollPacer } from "./poll-pacer.js";

export interface ExecuteOptions {
  parallelism: number;
  /** How long a batch may answer 404 after it was accepted. */
  notFoundGraceMs?: number;
  /** How long to follow one batch before reporting it lost. */
  batchTimeoutMs?: number;
  onEvent?: (event: ApplyEvent) => void;
  /** Each batch's outcomes, as soon as they are known. */
  onOutcomes: (kind: EntityKind, outcomes: IdOutcome[], batchId: string | undefined) => void;
  /** After each wave; the caller persists the state here. */
  onWaveFinished?: (wave: number) => void | Promise<void>;
}

export interface ApplyTotals {
  deleted: number;
  absent: number;
  failed: number;
}

export async function executePlan(plan: Plan, api: WaylayApi, options: ExecuteOptions): Promise<ApplyTotals> {
  const totals: ApplyTotals = { deleted: 0, absent: 0, failed: 0 };
  const pacer = new PollPacer();
  const emit = options.onEvent ?? (() => {});
  for (const [index, wave] of plan.waves.entries()) {
    const number = index + 1;
    const ids = wave.batches.reduce((n, b) => n + b.body.query.ids.length, 0);
    emit({ type: "wave-started", wave: number, waves: plan.waves.length, kind: wave.kind, batches: wave.batches.length, ids });
    await mapConcurrent(wave.batches, options.parallelism, async (batch) => {
      const { outcomes, batchId } = await runBatch(batch, api, pacer, number, options, emit);
      for (const o of outcomes) totals[o.status]++;
      options.onOutcomes(wave.kind, outcomes, batchId);
    });
    await options.onWaveFinished?.(number);
    emit({ type: "wave-finished", wave: number });
  }
  return totals;
}

async function runBatch(
  batch: PlannedBatch,
  api: WaylayApi,
  pacer: PollPacer,
  wave: number,
  options: ExecuteOptions,
  emit: (event: ApplyEvent) => void,
): Promise<{ outcomes: IdOutcome[]; batchId?: string }> {
  const ids = batch.body.query.ids;
  let accepted;
  try {
    accepted = await api.startBatch(batch.body);
  } catch (err) {
    const error = `batch not accepted: ${(err as Error).message}`;
    emit({ type: "batch-failed", wave, ids: ids.length, error });
    return { outcomes: allFailed(ids, error) };
  }
  emit({ type: "batch-submitted", wave, batchId: accepted.batchId, ids: ids.length });
  try {
    const status = await followBatch(api, accepted, {
      pacer,
      ids: ids.length,
      notFoundGraceMs: options.notFoundGraceMs ?? 30_000,
      timeoutMs: options.batchTimeoutMs ?? 30 * 60_000,
    });
    const outcomes = outcomesFromResults(ids, status.results ?? new Map());
    const count = (s: IdOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
    emit({ type: "batch-finished", wave, batchId: accepted.batchId, deleted: count("deleted"), absent: count("absent"), failed: count("failed") });
    return { outcomes, batchId: accepted.batchId };
  } catch (err) {
    const error = `lost track of batch ${accepted.batchId}: ${(err as Error).message}; the next plan checks these ids again`;
    emit({ type: "batch-failed", wave, batchId: accepted.batchId, ids: ids.length, error });
    return { outcomes: allFailed(ids, error), batchId: accepted.batchId };
  }
}
