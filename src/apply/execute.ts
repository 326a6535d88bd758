/**
 * Runs a plan's waves against the tenant (spec §4), journaling every step
 * before taking it: waves in order, at most `parallelism` batches in flight
 * within a wave (fewer while the tenant answers 429 or 503: see AimdLimit). Each batch is journaled, POSTed, acknowledged (journaled),
 * followed to its end, and its outcomes journaled. Nothing is ever in two
 * accepted batches: a POST is retried by the transport only where the server
 * cannot have acted, and a POST whose answer was lost is settled from evidence
 * (`watchForEvidence`) before its remaining ids are submitted again.
 */
import { AimdLimit, answersOnly } from "../async/aimd.js";
import { mapConcurrent } from "../async/map-concurrent.js";
import { DecomError } from "../diagnostics.js";
import { idRecord } from "../files/id-record.js";
import { EXPLICIT_ENTRY } from "../manifest/model.js";
import type { Plan, PlannedBatch, Change } from "../plan/model.js";
import type { EntityKind, InFlightBatch } from "../state/model.js";
import type { StateSession } from "../state/session.js";
import type { WaylayApi } from "../waylay/client.js";
import { HttpError } from "../waylay/errors/HttpError.js";
import { AuthError } from "../waylay/errors/AuthError.js";
import type { BatchAccepted, DeleteBatchBody } from "../waylay/wire.js";
import type { BatchArchiver } from "./archive-batches.js";
import type { ApplyEvent } from "./events.js";
import { watchForEvidence } from "./evidence.js";
import { BatchFollowError, BatchUnknownError, followBatch, Halted } from "./follow-batch.js";
import { outcomesFromResults, type IdOutcome } from "./outcomes.js";
import { PollPacer } from "./poll-pacer.js";

/** Following one batch before it is left in flight for the next run (`--batch-timeout`). */
export const DEFAULT_BATCH_TIMEOUT_MS = 30 * 60_000;
/** Watching the ids of a batch whose 202 was lost before submitting them again (`--unacknowledged-grace`). */
export const DEFAULT_UNACKNOWLEDGED_GRACE_MS = 60_000;

export interface ExecuteOptions {
  parallelism: number;
  now: () => Date;
  /** How long a batch may answer 404 after it was accepted (default: the unacknowledged grace). */
  notFoundGraceMs?: number;
  /** How long to follow one batch before leaving it in flight for the next run. */
  batchTimeoutMs?: number;
  /**
   * How long the ids of a batch whose fate the service cannot tell (its 202 was
   * lost, or it no longer knows the batch) must stay unchanged before they are
   * settled from which still exist.
   */
  unacknowledgedGraceMs?: number;
  /** First Ctrl-C: submit nothing more, follow what is in flight. */
  stop?: AbortSignal;
  /** Second Ctrl-C: stop following too; what is in flight stays journaled. */
  halt?: AbortSignal;
  onEvent?: (event: ApplyEvent) => void;
  /** Archives each batch's documents before it is sent; none with `--no-archive`. */
  archiver?: BatchArchiver;
}

export interface Failure {
  kind: EntityKind;
  id: string;
  error: string;
}

export interface ApplyTotals {
  deleted: number;
  absent: number;
  failed: number;
  failures: Failure[];
  /** Ids in batches that were accepted (or may have been) but not seen to their end. */
  inFlight: number;
  /** Ids never submitted because the apply was interrupted or a wave could not finish. */
  notSubmitted: number;
  /** The documents of a batch could not be archived: it and every later batch were not sent. */
  archiveFailed?: boolean;
}

/** Submissions of one batch whose acknowledgements were all lost, before its remaining ids are recorded failed. */
const MAX_SUBMISSIONS = 10;

export function emptyTotals(): ApplyTotals {
  return { deleted: 0, absent: 0, failed: 0, failures: [], inFlight: 0, notSubmitted: 0 };
}

export async function executePlan(plan: Plan, api: WaylayApi, session: StateSession, options: ExecuteOptions): Promise<ApplyTotals> {
  const totals = emptyTotals();
  const runner = new BatchRunner(api, session, options, totals);
  const entries = new Map(plan.changes.filter((c) => c.action === "delete").map((c: Change) => [`${c.kind}:${c.id}`, c.entry]));
  for (const [index, wave] of plan.waves.entries()) {
    const number = index + 1;
    const ids = wave.batches.reduce((n, b) => n + b.body.query.ids.length, 0);
    if (runner.stopped || runner.unsettled > 0) {
      totals.notSubmitted += plan.waves.slice(index).reduce((n, w) => n + w.batches.reduce((m, b) => m + b.body.query.ids.length, 0), 0);
      runner.emit({
        type: "waves-halted",
        wave: number,
        reason: runner.credentialsRefused
          ? "credentials-refused"
          : totals.archiveFailed
            ? "archive-failed"
            : runner.stopped
              ? "interrupted"
              : "batch-in-flight",
      });
      break;
    }
    runner.emit({ type: "wave-started", wave: number, waves: plan.waves.length, kind: wave.kind, batches: wave.batches.length, ids });
    await mapConcurrent(wave.batches, runner.limit, (batch) => runner.run(batch, wave.kind, number, entries));
    runner.emit({ type: "wave-finished", wave: number });
  }
  return totals;
}

/**
 * Before anything else, an apply or plan settles what an interrupted run left
 * in flight: acknowledged batches are followed by id (and, if the service no
 * longer knows one, settled from evidence), unacknowledged ones are settled
 * from the ids' existence. Returns what it recorded.
 */
export async function resumeInFlight(api: WaylayApi, session: StateSession, options: ExecuteOptions): Promise<ApplyTotals> {
  const totals = emptyTotals();
  const batches = session.inFlightBatches();
  if (batches.length === 0) return totals;
  const runner = new BatchRunner(api, session, options, totals);
  runner.emit({ type: "resume-started", batches: batches.length, ids: batches.reduce((n, [, b]) => n + b.ids.size, 0) });
  await mapConcurrent(batches, runner.limit, ([seq, batch]) => runner.resume(seq, batch));
  return totals;
}

class BatchRunner {
  readonly pacer = new PollPacer();
  /** Batches in flight: `parallelism`, halved while the tenant answers 429 or 503, and grown back. */
  readonly limit: AimdLimit;
  /** Batches of the current apply left in flight. */
  unsettled = 0;

  constructor(
    private readonly api: WaylayApi,
    private readonly session: StateSession,
    private readonly options: ExecuteOptions,
    private readonly totals: ApplyTotals,
  ) {
    this.limit = new AimdLimit(options.parallelism);
  }

  /** A 401/403 on a submission: every later one would be refused the same way. */
  credentialsRefused = false;

  /** No new batch may be submitted: interrupted once (stop) or twice (halt), the credentials were refused, or archiving failed. */
  get stopped(): boolean {
    return this.options.stop?.aborted === true || this.halted || this.credentialsRefused || this.totals.archiveFailed === true;
  }

  private get halted(): boolean {
    return this.options.halt?.aborted === true;
  }

  private get graceMs(): number {
    return this.options.unacknowledgedGraceMs ?? DEFAULT_UNACKNOWLEDGED_GRACE_MS;
  }

  private get timeoutMs(): number {
    return this.options.batchTimeoutMs ?? DEFAULT_BATCH_TIMEOUT_MS;
  }

  emit(event: ApplyEvent): void {
    this.options.onEvent?.(event);
  }

  async run(batch: PlannedBatch, kind: EntityKind, wave: number, entries: Map<string, string>): Promise<void> {
    let body: DeleteBatchBody = batch.body;
    for (let attempt = 1; attempt <= MAX_SUBMISSIONS; attempt++) {
      const ids = body.query.ids;
      if (this.stopped) {
        this.totals.notSubmitted += ids.length;
        return;
      }
      const seq = this.session.nextBatchSeq();
      let submitted = this.options.now();
      if (this.options.archiver) {
        try {
          const cascade = body.entity === "resource" ? body.actionParameters?.cascade : undefined;
          await this.options.archiver.beforeSubmit(kind, ids, {
            seq,
            time: submitted.toISOString(),
            ...(cascade && cascade.length > 0 ? { cascade } : {}),
          });
        } catch (err) {
          // Not archived, not sent: the ids are still there, and the next plan has them.
          this.totals.notSubmitted += ids.length;
          // Cancelled by an interrupt: that is the reason, not the archive.
          if (this.options.stop?.aborted || this.halted) return;
          if (!this.totals.archiveFailed) this.emit({ type: "archive-failed", wave, ids: ids.length, error: reasonOf(err) });
          this.totals.archiveFailed = true;
          // Refused credentials refuse every batch too: that is why the waves stop.
          if (err instanceof AuthError) this.credentialsRefused = true;
          return;
        }
        // Interrupted while the documents were fetched: nothing of this batch was sent.
        if (this.stopped) {
          this.totals.notSubmitted += ids.length;
          return;
        }
        submitted = this.options.now();
      }
      this.session.append({
        submit: {
          seq,
          kind,
          ids: idRecord(ids.map((id) => [id, entries.get(`${kind}:${id}`) ?? EXPLICIT_ENTRY] as const)),
          ...(body.entity === "resource" && body.actionParameters ? { cascade: body.actionParameters.cascade } : {}),
          time: submitted.toISOString(),
        },
      });
      let accepted: BatchAccepted;
      try {
        accepted = await this.api.startBatch(body, this.limit);
      } catch (err) {
        // Cancelled by a second interrupt: the journal says it was submitted, and the next run settles it.
        if (this.halted) return this.leaveInFlight(ids.length);
        const error = (err as Error).message;
        if (isRefusal(err)) {
          this.finish(
            seq,
            kind,
            wave,
            undefined,
            ids.map((id) => ({ id, status: "failed", error: `batch not accepted: ${error}` })),
          );
          if (err instanceof AuthError) this.credentialsRefused = true;
          return;
        }
        this.emit({ type: "batch-unacknowledged", wave, ids: ids.length, error });
        const lastAttempt = attempt === MAX_SUBMISSIONS;
        const remaining = await this.settleFromEvidence(
          seq,
          kind,
          ids,
          submitted,
          wave,
          lastAttempt ? `no acknowledgement after ${MAX_SUBMISSIONS} submissions: ${error}` : undefined,
        );
        if (remaining === undefined || remaining.length === 0) return;
        body = { ...body, query: { ids: remaining } } as DeleteBatchBody;
        continue;
      }
      this.session.append({ accepted: { seq, batchId: accepted.batchId, statusUrl: accepted.statusUrl } });
      this.emit({ type: "batch-submitted", wave, batchId: accepted.batchId, ids: ids.length });
      await this.follow(seq, kind, ids, accepted, wave, Date.now(), false);
      return;
    }
  }

  /** Resumes a batch an earlier run left in flight: follow it by id, or settle it from evidence. */
  async resume(seq: number, batch: InFlightBatch): Promise<void> {
    const ids = [...batch.ids.keys()];
    if (batch.batchId !== undefined && batch.statusUrl !== undefined) {
      await this.follow(seq, batch.kind, ids, { batchId: batch.batchId, statusUrl: batch.statusUrl }, 0, Date.parse(batch.submitted), true);
    } else {
      // Ids still there were never taken; resuming does not submit them again, the next plan has them.
      const remaining = await this.settleFromEvidence(seq, batch.kind, ids, new Date(batch.submitted), 0, undefined);
      this.totals.notSubmitted += remaining?.length ?? 0;
    }
  }

  /**
   * Follows an accepted batch to its end. If the service does not know it
   * (404 past the grace), it may still be running: the apply that submitted it
   * leaves it in flight, so no later wave starts; a resuming run watches its ids
   * until the batch is known again or the evidence is final.
   */
  private async follow(
    seq: number,
    kind: EntityKind,
    ids: string[],
    accepted: BatchAccepted,
    wave: number,
    acceptedAt: number,
    resuming: boolean,
  ): Promise<void> {
    try {
      const status = await followBatch(this.api, accepted, {
        pacer: this.pacer,
        ids: ids.length,
        acceptedAt,
        notFoundGraceMs: this.options.notFoundGraceMs ?? this.graceMs,
        timeoutMs: this.timeoutMs,
        halt: this.options.halt,
        // Its place stands for the batch running at the service: kept while a poll waits out a 429.
        pressure: answersOnly(this.limit),
      });
      this.finish(seq, kind, wave, accepted.batchId, outcomesFromResults(ids, status.results ?? new Map()));
    } catch (err) {
      if (err instanceof Halted || this.halted) return this.leaveInFlight(ids.length);
      if (err instanceof BatchUnknownError && resuming) return this.settleUnknown(seq, kind, ids, accepted, wave, acceptedAt, err.message);
      const reason = err instanceof BatchFollowError ? err.message : `following it failed: ${(err as Error).message}`;
      this.emit({ type: "batch-in-flight", wave, batchId: accepted.batchId, ids: ids.length, error: reason });
      this.leaveInFlight(ids.length);
    }
  }

  /** A batch the service does not know: its ids are settled only from final evidence, and never submitted again before. */
  private async settleUnknown(
    seq: number,
    kind: EntityKind,
    ids: string[],
    accepted: BatchAccepted,
    wave: number,
    acceptedAt: number,
    why: string,
  ): Promise<void> {
    const known = async () => {
      try {
        return (await this.api.getBatch(accepted, answersOnly(this.limit))) !== null;
      } catch {
        return false;
      }
    };
    const evidence = await watchForEvidence(this.api, kind, ids, {
      submitted: new Date(acceptedAt),
      graceMs: this.graceMs,
      timeoutMs: this.timeoutMs,
      now: this.options.now,
      halt: this.options.halt,
      interrupt: known,
    });
    if (evidence.end === "interrupted") return this.follow(seq, kind, ids, accepted, wave, acceptedAt, true);
    if (evidence.end !== "final") {
      if (evidence.end === "timed-out")
        this.emit({
          type: "batch-in-flight",
          wave,
          batchId: accepted.batchId,
          ids: ids.length,
          error: `${why}; its ids are still changing`,
        });
      return this.leaveInFlight(ids.length);
    }
    const seconds = Math.round(this.graceMs / 1000);
    const outcomes: IdOutcome[] = [
      ...evidence.gone.map((id): IdOutcome => ({ id, status: "deleted" })),
      ...evidence.remaining.map(
        (id): IdOutcome => ({
          id,
          status: "failed",
          error: `${why}, and this id still exists unchanged after ${seconds} s: the batch did not delete it`,
        }),
      ),
    ];
    this.finish(seq, kind, wave, accepted.batchId, outcomes);
  }

  /**
   * Watches the ids of a batch whose acknowledgement was lost. Gone ids are
   * recorded deleted. The remaining ids are returned, to submit again, or, with
   * `failRemaining`, recorded failed. Undefined when the evidence is not final
   * (halted, or still changing): the batch stays in flight.
   */
  private async settleFromEvidence(
    seq: number,
    kind: EntityKind,
    ids: string[],
    submitted: Date,
    wave: number,
    failRemaining: string | undefined,
  ): Promise<string[] | undefined> {
    const evidence = await watchForEvidence(this.api, kind, ids, {
      submitted,
      graceMs: this.graceMs,
      timeoutMs: this.timeoutMs,
      now: this.options.now,
      halt: this.options.halt,
    });
    if (evidence.end !== "final") {
      if (evidence.end === "timed-out") this.emit({ type: "batch-in-flight", wave, ids: ids.length, error: "its ids are still changing" });
      this.leaveInFlight(ids.length);
      return undefined;
    }
    const outcomes: IdOutcome[] = evidence.gone.map((id) => ({ id, status: "deleted" }));
    if (failRemaining !== undefined)
      outcomes.push(...evidence.remaining.map((id): IdOutcome => ({ id, status: "failed", error: failRemaining })));
    // Ids the record does not mention were never taken: the next submission or plan handles them.
    this.finish(seq, kind, wave, undefined, outcomes);
    return failRemaining === undefined ? evidence.remaining : [];
  }

  private finish(seq: number, kind: EntityKind, wave: number, batchId: string | undefined, outcomes: IdOutcome[]): void {
    const failed = new Map<string, { statusCode?: number; error: string }>();
    const deleted: string[] = [];
    const absent: string[] = [];
    for (const o of outcomes) {
      if (o.status === "deleted") deleted.push(o.id);
      else if (o.status === "absent") absent.push(o.id);
      else {
        failed.set(o.id, o.statusCode !== undefined ? { statusCode: o.statusCode, error: o.error ?? "" } : { error: o.error ?? "" });
        this.totals.failures.push({ kind, id: o.id, error: o.error ?? "" });
      }
    }
    this.session.append({
      finished: { seq, time: this.options.now().toISOString(), ...(batchId ? { batchId } : {}), deleted, absent, failed: idRecord(failed) },
    });
    this.totals.deleted += deleted.length;
    this.totals.absent += absent.length;
    this.totals.failed += failed.size;
    this.emit({
      type: "batch-finished",
      wave,
      ...(batchId ? { batchId } : {}),
      deleted: deleted.length,
      absent: absent.length,
      failed: failed.size,
    });
  }

  private leaveInFlight(ids: number): void {
    this.unsettled++;
    this.totals.inFlight += ids;
  }
}

/** Why, in one sentence: a DecomError's own words (without the "error: " its message starts with). */
function reasonOf(err: unknown): string {
  if (err instanceof DecomError) return err.diagnostics.map((d) => d.summary).join("; ");
  return err instanceof Error ? err.message : String(err);
}

/** The server answered and refused the batch: it certainly did not create it. */
function isRefusal(err: unknown): boolean {
  return err instanceof HttpError && err.status >= 400 && err.status < 500;
}
