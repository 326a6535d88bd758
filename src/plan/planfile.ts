/**
 * Saved plans on disk. A plan is read back only if it is a plan this decom
 * understands, valid against `schemas/plan.schema.json`, and consistent: its
 * batch bodies delete exactly the ids its changes list as `delete`, so an edit
 * to one side in review cannot slip an unplanned deletion through.
 */
import { readFileSync } from "node:fs";
import { DecomError, error } from "../diagnostics.js";
import { canonicalJson, canonicalJsonPieces } from "../files/canonical-json.js";
import { localDisk, type Disk } from "../files/disk.js";
import { fileError } from "../files/fs-error.js";
import { describeSchemaErrors, validatePlanDocument } from "../schemas.js";
import { PLAN_FORMAT_VERSION, type Plan } from "./model.js";

export function serializePlan(plan: Plan): string {
  return canonicalJson(plan);
}

export function writePlanFile(path: string, plan: Plan, disk: Disk = localDisk): void {
  disk.writeAtomic(path, canonicalJsonPieces(plan));
}

export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw fileError("plan.unreadable", path, err);
  }
  return parsePlan(text, path);
}

export function parsePlan(text: string, path: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DecomError(error("plan.corrupt", `${path}: not a decom plan: invalid JSON (${(err as Error).message})`));
  }
  const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version !== "number") {
    throw new DecomError(error("plan.corrupt", `${path}: not a decom plan: no "formatVersion"`));
  }
  if (version !== PLAN_FORMAT_VERSION) {
    throw new DecomError(
      error("plan.version", `${path}: plan format version ${version} is not supported by this decom (it reads version ${PLAN_FORMAT_VERSION}); make the plan again with this decom`),
    );
  }
  if (!validatePlanDocument(data)) {
    throw new DecomError(error("plan.invalid", `${path}: not a valid plan: ${describeSchemaErrors(validatePlanDocument.errors)}`));
  }
  const plan = data as Plan;
  const problem = inconsistency(plan);
  if (problem) throw new DecomError(error("plan.inconsistent", `${path}: ${problem}; make the plan again`));
  return plan;
}

function inconsistency(plan: Plan): string | undefined {
  if (plan.blockers.length > 0) return plan.waves.length > 0 ? "a blocked plan holds batches" : undefined;
  const planned = new Map<string, Plan["changes"][number]>();
  for (const change of plan.changes) {
    if (change.action === "delete") planned.set(`${change.kind}:${change.id}`, change);
  }
  const batched = new Set<string>();
  for (const wave of plan.waves) {
    for (const { body } of wave.batches) {
      const kind = body.entity === "resource" ? "resource" : "resourceType";
      if (kind !== wave.kind) return `a ${wave.kind} wave holds a ${body.entity} batch`;
      for (const id of body.query.ids) {
        const key = `${kind}:${id}`;
        const change = planned.get(key);
        if (!change) return `batch deletes ${kind} "${id}", which no change plans to delete`;
        if (batched.has(key)) return `${kind} "${id}" is in more than one batch`;
        const cascade = body.entity === "resource" ? (body.actionParameters?.cascade ?? []) : [];
        if (cascade.join(",") !== (change.cascade ?? []).join(",")) return `${kind} "${id}" has another cascade in its batch than in its change`;
        batched.add(key);
      }
    }
  }
  for (const key of planned.keys()) {
    if (!batched.has(key)) return `${key.replace(":", ' "')}" is planned for deletion but in no batch`;
  }
  return undefined;
}
