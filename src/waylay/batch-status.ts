/**
 * Reading a BatchOperationStatusResponse. A batch is finished when it carries
 * `finishedTime` and `results`. `statusCode` is an integer in the contract, but
 * its own example sends `"404,"`, so a leading integer in a string is accepted.
 */
import type { BatchIdResult, BatchStatus } from "./wire.js";

export function parseBatchStatus(body: unknown, fallbackId: string): BatchStatus | string {
  if (!isObject(body)) return "body is not a JSON object";
  const batchId = typeof body.id === "string" ? body.id : fallbackId;
  const status: BatchStatus = { batchId };
  if (typeof body.queueTime === "string") status.queueTime = body.queueTime;
  if (body.finishedTime === undefined && body.results === undefined) return status;
  if (typeof body.finishedTime !== "string") return "finished batch without a finishedTime";
  if (!isObject(body.results)) return "finished batch without results";
  status.finishedTime = body.finishedTime;
  const results = new Map<string, BatchIdResult>();
  for (const [id, value] of entries(body.results.success)) {
    results.set(id, { ok: true, statusCode: parseStatusCode(isObject(value) ? value.statusCode : undefined) });
  }
  for (const [id, value] of entries(body.results.failure)) {
    const v = isObject(value) ? value : {};
    const result: BatchIdResult = { ok: false, statusCode: parseStatusCode(v.statusCode) };
    if (typeof v.error === "string") result.error = v.error;
    results.set(id, result);
  }
  status.results = results;
  return status;
}

export function parseStatusCode(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string") {
    const match = /^\s*(\d{3})/.exec(value);
    if (match) return Number(match[1]);
  }
  return Number.NaN;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}
