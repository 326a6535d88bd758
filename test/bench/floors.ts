/**
 * The floors decom is measured against: what the batch API allows a correct
 * plan and apply, on the emulator's timing. Requests: the lookups, the
 * dependency checks, the archive's document fetch, and a POST and a final poll
 * per batch. Time: the deletion work the service did, plus one round trip for
 * the lookups, one for the checks, one for the archive's first documents, and a
 * POST and a final poll per wave (a wave cannot start before the one below it
 * has finished). Pure.
 */
import { ceil, fmt, ms } from "./report.js";

export const IDS_PER_LOOKUP = 100;
export const SELECTOR_PAGE = 1000;
export const BATCH_SIZE = 500;
/** Ids per dependency count (the client's URL budget), and the page of a listing of every resource with a parent. */
export const IDS_PER_CHECK = 250;
export const LIST_PAGE = 1000;
/** Documents per archive request. */
export const ARCHIVE_CHUNK = 100;

export interface FloorInputs {
  latencyMs: number;
  /** Explicit resource ids the manifest names, and resource type ids. */
  explicitIds: number;
  explicitTypes: number;
  /** Resources each selector matches. */
  selectorMatches: readonly number[];
  /** Resources deleted, per wave (children before parents), and resource types deleted. */
  waveSizes: readonly number[];
  typesDeleted: number;
  /** Resources on the tenant that have a parent (the one-listing way to check children). */
  withParent: number;
}

export interface Floor {
  value: number;
  /** How it adds up, for the table's reference column. */
  terms: string;
}

export function requestFloor(i: FloorInputs): Floor {
  const deleted = i.waveSizes.reduce((a, b) => a + b, 0);
  const lookups =
    ceil(i.explicitIds, IDS_PER_LOOKUP) +
    ceil(i.explicitTypes, IDS_PER_LOOKUP) +
    i.selectorMatches.reduce((n, s) => n + Math.max(1, ceil(s, SELECTOR_PAGE)), 0);
  // Children: a count per chunk of deleted ids, or one count and a listing of every resource with a parent, whichever is less.
  const children = deleted === 0 ? 0 : Math.min(ceil(deleted, IDS_PER_CHECK), 1 + ceil(i.withParent, LIST_PAGE));
  const checks = children + ceil(i.typesDeleted, IDS_PER_CHECK);
  const archive = ceil(deleted, ARCHIVE_CHUNK);
  const batches = i.waveSizes.reduce((n, w) => n + ceil(w, BATCH_SIZE), 0) + ceil(i.typesDeleted, BATCH_SIZE);
  const value = lookups + checks + archive + 2 * batches;
  return {
    value,
    terms: `floor ${fmt(value)} = ${fmt(lookups)} lookups + ${fmt(checks)} checks + ${fmt(archive)} archive + 2 × ${fmt(batches)} batches`,
  };
}

function waves(i: FloorInputs): number {
  return i.waveSizes.filter((w) => w > 0).length + (i.typesDeleted > 0 ? 1 : 0);
}

/** Plan + apply: the work, and the round trips no client can overlap with it. */
export function planApplyTimeFloor(i: FloorInputs, workerBusyMs: number): Floor {
  const trips = 3 + 2 * waves(i);
  const value = workerBusyMs + trips * i.latencyMs;
  return {
    value,
    terms:
      `floor ${ms(value)} = work ${ms(workerBusyMs)} + ${trips} × ${i.latencyMs} ms ` +
      `(lookups, checks, archive, ${waves(i)} × (POST + poll))`,
  };
}

/** Apply alone: the work, the archive's first documents, and a POST and a final poll per wave. */
export function applyTimeFloor(i: FloorInputs, workerBusyMs: number): Floor {
  const trips = 1 + 2 * waves(i);
  const value = workerBusyMs + trips * i.latencyMs;
  return { value, terms: `floor ${ms(value)} = work ${ms(workerBusyMs)} + ${trips} × ${i.latencyMs} ms (archive, POST + poll per wave)` };
}
