/**
 * What an apply (or the recovery before a plan) comes to, as the library
 * returns it and every view renders it. Here, below the views, so that views
 * never import the operations that use them.
 */
import type { ApplyResult } from "./apply-plan.js";
import type { Plan } from "../plan/model.js";

export interface Recovered {
  batches: number;
  deleted: number;
  absent: number;
  failed: number;
  inFlight: number;
  /** Ids of a POST whose 202 was lost that still exist once the evidence is final: the batch did not take them; the plan has them again. */
  notTaken: number;
}

/** A re-run of a saved plan whose apply was cut short: that apply is continued. */
export interface Continuation {
  /** When the apply being continued began. */
  started: string;
  /** The plan's deletions, and how many of them are left to submit. */
  deletions: number;
  remaining: number;
  /** Ids that apply recorded as failed: a new plan retries them. */
  failedBefore: number;
}

/** Where an apply archived the documents it deleted, and how many it added; none with `--no-archive`. */
export interface ArchiveUse {
  /** As shown in messages. */
  path: string;
  archived: number;
  bytes: number;
  /** Archiving failed: the batches from then on were not sent. */
  failed: boolean;
}

export type ApplyOutcome =
  | {
      status: "applied";
      plan: Plan;
      result: ApplyResult;
      interrupted: boolean;
      statePath: string;
      continued?: Continuation;
      /** Absent with `--no-archive`. */
      archive?: ArchiveUse;
    }
  /** The saved plan's own apply has recorded an outcome for every change: nothing was sent. */
  | { status: "already-applied"; plan: Plan; appliedAt: string; failed: number }
  | { status: "no-changes"; plan: Plan }
  | { status: "blocked"; plan: Plan }
  | { status: "cancelled"; plan: Plan }
  /** Interrupted before anything was sent. */
  | { status: "interrupted" }
  /** Stopped at once (second interrupt); `inFlight` ids, in `inFlightBatches` batches, are recorded in the state. */
  | { status: "halted"; inFlight: number; inFlightBatches: number; statePath: string };
