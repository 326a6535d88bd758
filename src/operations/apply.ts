/**
 * `apply(options)`: what `decom apply` does, as a function. With `plan` (a saved
 * plan, or its path), executes exactly that plan, refusing an edited, stale or
 * blocked one. Without it, plans first and asks `approve`. Every step is
 * journaled; the state is written before it returns, whatever happened.
 */
import { resolve } from "node:path";
import { applyPlan } from "../apply/apply-plan.js";
import { PrefetchingArchiver } from "../apply/archive-batches.js";
import { archivePathFor } from "../archive/model.js";
import { ArchiveWriter } from "../archive/writer.js";
import { localDisk } from "../files/disk.js";
import type { ApplyOutcome, Continuation } from "../apply/results.js";
import { DecomError, error, fail } from "../diagnostics.js";
import { inFlightBlockers } from "../plan/blockers.js";
import { hasChanges, isBlocked, type Plan } from "../plan/model.js";
import { ownApply, remainderOf } from "../plan/continue.js";
import { integrityProblems, planDigest, readPlanFile } from "../plan/planfile.js";
import { stalenessReasons } from "../plan/stale.js";
import { selectorProblems, verifySavedPlan } from "../plan/verify.js";
import { planWarnings, type PlanWarning } from "../plan/warnings.js";
import { identityOf, latestApply, type EntityKind } from "../state/model.js";
import type { StateSession } from "../state/session.js";
import { describeBlocker } from "../views/blocker-text.js";
import type { ConnectOptions, LockWaitOptions, Recovered, RunOptions, WorkspaceOptions } from "./options.js";
import {
  cancellation,
  DEFAULT_PARALLELISM,
  eitherAborted,
  executeOptions,
  lockState,
  openWorkspace,
  planInWorkspace,
  recoverInterrupted,
  settleOrAbandon,
  type Workspace,
} from "./workspace.js";

export type { ApplyOutcome } from "../apply/results.js";

export interface ApplyOptions extends WorkspaceOptions, LockWaitOptions, ConnectOptions, RunOptions {
  /** A saved plan, or the path of one (relative to `cwd`). Without it, apply plans first. */
  plan?: string | Plan;
  /** Needed when apply plans itself: whether to go ahead with that plan. */
  approve?: (plan: Plan) => boolean | Promise<boolean>;
  /** When planning here: ids per batch (default 500), targets, and whether to check referrers (as `plan`'s). */
  batchSize?: number;
  targets?: string[];
  checkReferrers?: boolean;
  /** The plan apply made itself, before `approve` is asked. */
  onPlan?: (plan: Plan) => void;
  /**
   * After `onPlan`, what is worth saying about that plan without blocking it
   * (as `plan`'s `onPlanWarnings`); not called when there is nothing to say,
   * nor for a saved plan (said when it was made).
   */
  onPlanWarnings?: (warnings: PlanWarning[]) => void;
  /** An interrupted apply was found and settled first. */
  onRecovered?: (recovered: Recovered) => void;
  /** The saved plan's own apply was cut short, and this one continues it. */
  onContinue?: (continuation: Continuation) => void;
  /**
   * Archive every document before the batch that deletes it is sent, to the
   * archive beside the state (default true; `--no-archive` is false).
   */
  archive?: boolean;
}

export async function apply(options: ApplyOptions): Promise<ApplyOutcome> {
  if (options.plan === undefined && !options.approve) {
    fail("apply.needs-approval", "apply without a saved plan needs an approve callback (or a plan made and reviewed before)");
  }
  // The second interrupt cancels every request under way, and so does the end of apply:
  // nothing is sent after it returns.
  const cancel = cancellation(options.halt);
  // A saved plan is read first: a wrong file name is the first thing to say, before credentials.
  const given =
    typeof options.plan === "string"
      ? { ...readPlanFile(resolve(options.cwd ?? process.cwd(), options.plan), options.plan), shown: options.plan }
      : undefined;
  const workspace = openWorkspace(options, cancel.signal);
  // A saved plan is checked before the lock is taken and before any request: an edited one changes nothing.
  const saved =
    options.plan !== undefined ? verifiedPlan(given ?? { plan: options.plan as Plan, shown: "the plan" }, workspace) : undefined;
  const command = `decom apply${typeof options.plan === "string" ? ` ${options.plan}` : ""}`;
  // Either interrupt ends a wait for the lock: nothing has been taken or sent yet.
  const locked = await lockState(workspace, command, options, eitherAborted(options.stop, cancel.signal));
  if (locked === undefined) {
    cancel.abort();
    return { status: "interrupted" };
  }
  const { session, release } = locked;
  try {
    const work = applyWithin(workspace, session, options, saved);
    const outcome = await settleOrAbandon(work, session, options.halt);
    if (outcome !== undefined) return outcome;
    const inFlight = session.inFlightBatches();
    return {
      status: "halted",
      inFlight: inFlight.reduce((n, [, b]) => n + b.ids.size, 0),
      inFlightBatches: inFlight.length,
      statePath: workspace.paths.state,
    };
  } finally {
    cancel.abort();
    release();
  }
}

/** The saved plan, refused with one diagnostic per problem if it is not exactly what `plan` made from this manifest. */
function verifiedPlan(
  { plan, shown, digestHolds }: { plan: Plan; shown: string; digestHolds?: boolean },
  workspace: Workspace,
): { plan: Plan; shown: string } {
  // A blocked plan holds no batches: if it is intact, its own blockers say best why it is refused.
  if (isBlocked(plan) && integrityProblems(plan, shown, digestHolds).length === 0) {
    // One line per blocker, as plan prints them, then what to do.
    throw new DecomError([
      ...plan.blockers.map((b) => error("plan.blocked", `${shown} is blocked: ${describeBlocker(b)}`)),
      error(
        "plan.blocked",
        `${shown} was not applied; once these are resolved (in the manifest or on the tenant), make a new plan: decom plan --out ${shown}`,
      ),
    ]);
  }
  const problems = verifySavedPlan(plan, workspace.manifest, {
    planShown: shown,
    describeBlocker: (b, manifestPath) => describeBlocker(b, undefined, manifestPath),
    digestHolds,
  });
  if (problems.length > 0) throw new DecomError(problems);
  return { plan, shown };
}

async function applyWithin(
  workspace: Workspace,
  session: StateSession,
  options: ApplyOptions,
  saved: { plan: Plan; shown: string } | undefined,
): Promise<ApplyOutcome> {
  // Read and checked before any request, under the lock (restore writes it too); closed when the apply ends.
  // Every line is checked now; only a saved plan's ids are kept (their digests), so a large archive costs little memory.
  const archive = options.archive === false ? undefined : openArchive(workspace, options, saved && keepIdsOf(saved.plan));
  try {
    return await applyArchiving(workspace, session, options, saved, archive);
  } finally {
    archive?.writer.close();
  }
}

interface OpenArchive {
  writer: ArchiveWriter;
  shown: string;
}

/** `keep` undefined: every line checked, nothing kept (the plan is not made yet). */
function openArchive(workspace: Workspace, options: ApplyOptions, keep: Keep | undefined): OpenArchive {
  const shown = archivePathFor(workspace.paths.state);
  const writer = ArchiveWriter.open(options.disk ?? localDisk, archivePathFor(workspace.paths.stateAbsolute), shown, {
    documents: false,
    keep: keep ?? (() => false),
  });
  return { writer, shown };
}

type Keep = (kind: EntityKind, id: string) => boolean;

/** The ids a plan deletes, by kind: the archive lines an apply of it needs to know. */
function keepIdsOf(plan: Plan): Keep {
  const ids = { resource: new Set<string>(), resourceType: new Set<string>() };
  for (const c of plan.changes) if (c.action === "delete") ids[c.kind].add(c.id);
  return (kind, id) => ids[kind].has(id);
}

async function applyArchiving(
  workspace: Workspace,
  session: StateSession,
  options: ApplyOptions,
  saved: { plan: Plan; shown: string } | undefined,
  archive: OpenArchive | undefined,
): Promise<ApplyOutcome> {
  const recovered = await recoverInterrupted(workspace, session, options);
  if (recovered) options.onRecovered?.(recovered);
  if (options.stop?.aborted) return { status: "interrupted" };

  let plan: Plan;
  let digest: string | undefined;
  let continued: Continuation | undefined;
  // The state's number for this apply, once it has begun: what the archiver writes on each line.
  let number: number | undefined;
  const archiverOf = (archived: Plan, writer: ArchiveWriter) =>
    new PrefetchingArchiver(archived, workspace.api, writer, () => number, {
      chunkSize: workspace.api.idsPerLookup,
      parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
    });
  let archiver: PrefetchingArchiver | undefined;
  if (saved !== undefined) {
    plan = saved.plan;
    digest = plan.digest ?? planDigest(plan);
    const own = ownApply(plan, digest, session.current);
    const reasons = stalenessReasons(
      plan,
      {
        endpoint: workspace.connection.endpoint,
        manifestSha256: workspace.manifest.sha256,
        state: identityOf(session.current),
        latestApply: session.current ? latestApply(session.current) : undefined,
        planDigest: digest,
      },
      own !== undefined,
    );
    if (reasons.length > 0) {
      fail(
        "plan.stale",
        `${saved.shown} is stale and was not applied: ${reasons.join("; ")}. ` +
          `Make a new plan with: decom plan --out ${typeof options.plan === "string" ? options.plan : "plan.json"}`,
      );
    }
    if (own !== undefined) {
      const remainder = remainderOf(plan, session.state, own.number);
      if (!hasChanges(remainder.plan)) return { status: "already-applied", plan, appliedAt: own.started, failed: remainder.failed };
      const { deletions, remaining, failed } = remainder;
      continued = { started: own.started, deletions, remaining, failedBefore: failed };
      options.onContinue?.(continued);
      plan = remainder.plan;
    }
    const matching = selectorProblems(plan, workspace.manifest, workspace.api, saved.shown, continued !== undefined);
    // The documents start to come while the selectors are matched again (whose requests, asked first, go first):
    // requests that only read, and nothing is written or sent before every check has passed (a refused plan cancels
    // them as apply returns).
    if (archive) archiver = archiverOf(plan, archive.writer);
    const unmatched = await matching;
    if (unmatched.length > 0) throw new DecomError(unmatched);
    const stillInFlight = inFlightBlockers(
      plan.changes,
      session.inFlightBatches().map(([, batch]) => batch),
    );
    if (stillInFlight.length > 0)
      fail("plan.in-flight", `${saved.shown} was not applied: ${stillInFlight.map((b) => describeBlocker(b)).join("; ")}`);
  } else {
    plan = await planInWorkspace(workspace, session, options);
    // Interrupted while planning or at the question: nothing was sent, and nothing will be.
    if (options.stop?.aborted) return { status: "interrupted" };
    options.onPlan?.(plan);
    const warnings = planWarnings(plan.changes, workspace.manifest);
    if (warnings.length > 0) options.onPlanWarnings?.(warnings);
    if (isBlocked(plan)) return { status: "blocked", plan };
    if (!hasChanges(plan)) return { status: "no-changes", plan };
    if (!(await options.approve?.(plan))) return options.stop?.aborted ? { status: "interrupted" } : { status: "cancelled", plan };
  }
  if (!hasChanges(plan)) return { status: "no-changes", plan };
  // Interrupted while the saved plan was re-checked, or as it was approved: nothing was sent yet.
  if (options.stop?.aborted) return { status: "interrupted" };

  // A continued apply goes on recording as the apply it continues; any other is a new one.
  number =
    continued === undefined
      ? session.beginApply({
          ...(digest !== undefined ? { plan: digest } : {}),
          basedOn: plan.state.serial,
          manifest: workspace.paths.manifestFromState,
          time: new Date().toISOString(),
        })
      : latestApply(session.state)?.number;
  // A plan made here: the archive is read again, now that it is known which of its lines matter.
  if (archive && saved === undefined) {
    archive.writer.close();
    archive.writer = openArchive(workspace, options, keepIdsOf(plan)).writer;
    archiver = archiverOf(plan, archive.writer);
  }
  const result = await applyPlan(plan, session, workspace.api, { ...executeOptions(options), ...(archiver ? { archiver } : {}) });
  session.compact();
  return {
    status: "applied",
    plan,
    result,
    interrupted: options.stop?.aborted === true,
    statePath: workspace.paths.state,
    ...(continued !== undefined ? { continued } : {}),
    ...(archive
      ? {
          archive: {
            path: archive.shown,
            archived: archive.writer.stats.lines,
            bytes: archive.writer.stats.bytes,
            failed: result.archiveFailed === true,
          },
        }
      : {}),
  };
}
