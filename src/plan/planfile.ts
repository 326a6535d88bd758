/**
 * Saved plans on disk. `plan --out` writes a plan with a digest of its own
 * content. A plan is read back only if it is a plan this decom understands and
 * valid against `schemas/plan.schema.json`; `integrityProblems` then says
 * whether it is still exactly what `plan` wrote (its digest) and consistent
 * (its batch bodies delete exactly the ids its changes list as `delete`).
 * Checking it against the manifest is plan/verify.ts.
 */
import { createHash } from "node:crypto";
import { DecomError, error, type Diagnostic } from "../diagnostics.js";
import { canonicalJson, canonicalJsonPieces, canonicalJsonPiecesSealed } from "../files/canonical-json.js";
import { localDisk, readTextFile, type Disk } from "../files/disk.js";
import { journalResumeHint, KIND_NAMES, recogniseFile } from "../files/file-kind.js";
import { fileError } from "../files/fs-error.js";
import { describeSchemaErrors, validatePlanDocument } from "../schemas.js";
import { quoted } from "../text/escape.js";
import { formatNumber } from "../text/plural.js";
import {
  BARE_REASONS,
  CHANGE_ATTRIBUTES,
  PLAN_FORMAT_VERSION,
  REASON_ACTION,
  type BareReasonCode,
  type Change,
  type Plan,
} from "./model.js";
import type { EntityKind } from "../state/model.js";

/** "is planned …": how an edited change's action reads in a refusal. */
const ACTION_WORDS = { delete: "to be deleted", absent: "as absent", forget: "to be forgotten" } as const;

/** The plan as its file holds it: with its digest. */
export function serializePlan(plan: Plan): string {
  return canonicalJson(withDigest(plan));
}

export function writePlanFile(path: string, plan: Plan, disk: Disk = localDisk): void {
  disk.writeAtomic(path, planFilePieces(plan));
}

/**
 * The file's text in pieces. Its digest is made from the very pieces written
 * (the plan is made canonical once, not once for the digest and again for the
 * file): what sorts before "digest" is written at once, the rest (the waves) held
 * until the digest is known.
 */
export function planFilePieces(plan: Plan): Iterable<string> {
  if (plan.digest !== undefined) return canonicalJsonPieces(plan);
  const hash = createHash("sha256");
  return canonicalJsonPiecesSealed(plan, "digest", {
    update: (piece) => hash.update(piece),
    value: () => `sha256:${hash.digest("hex")}`,
  });
}

/** `sha256:<hex>` of the plan's canonical JSON without its `digest` field. */
export function planDigest(plan: Plan): string {
  const { digest: _ignored, ...content } = plan;
  const hash = createHash("sha256");
  for (const piece of canonicalJsonPieces(content)) hash.update(piece);
  return `sha256:${hash.digest("hex")}`;
}

function withDigest(plan: Plan): Plan {
  return plan.digest !== undefined ? plan : { ...plan, digest: planDigest(plan) };
}

/**
 * A saved plan as read. `digestHolds`: its text is the one `plan` wrote, digest
 * and all (see `textShowsDigest`), so its integrity check need not make the plan
 * canonical again to compare it with its digest.
 */
export interface ReadPlan {
  plan: Plan;
  digestHolds: boolean;
}

/** Reads a plan file this decom understands; its integrity is checked by the caller. */
export function readPlanFile(path: string, shownAs: string = path): ReadPlan {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (err) {
    throw fileError("plan.unreadable", shownAs, err);
  }
  const plan = decodePlan(text, shownAs);
  return { plan, digestHolds: textShowsDigest(text, plan.digest) };
}

/** A plan file's text → a plan whose integrity holds; for views, which have no manifest to check it against. */
export function parsePlan(text: string, path: string): Plan {
  const plan = decodePlan(text, path);
  const problems = integrityProblems(plan, path, textShowsDigest(text, plan.digest));
  if (problems.length > 0) throw new DecomError(problems);
  return plan;
}

/**
 * Whether the text is exactly what `plan` writes for a plan with this digest:
 * without its top-level `"digest"` line, its sha256 is the digest. The parsed
 * plan's canonical JSON without its digest is then that very text (a canonical
 * text parses and serialises back to itself), which is what `planDigest`
 * would hash: the digest holds, and the plan need not be made canonical again.
 * False says nothing (an edited text, or one reformatted by hand): the parsed
 * plan is then checked the long way, as it always was.
 */
export function textShowsDigest(text: string, digest: string | undefined): boolean {
  if (digest === undefined || !/^sha256:[0-9a-f]{64}$/.test(digest)) return false;
  const member = `\n  "digest": "${digest}",\n`;
  const at = text.indexOf(member);
  const next = at + member.length;
  // Two spaces and a quote: the next line is a top-level member, so the digest line is one too (a canonical text indents by depth).
  if (at < 0 || !text.startsWith('  "', next)) return false;
  const hash = createHash("sha256");
  hash.update(text.slice(0, at + 1));
  hash.update(text.slice(next));
  return `sha256:${hash.digest("hex")}` === digest;
}

function decodePlan(text: string, path: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    refuseOtherKind(text, path);
    throw new DecomError(error("plan.corrupt", `${path}: not a decom plan: invalid JSON (${(err as Error).message})`));
  }
  const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version !== "number") {
    refuseOtherKind(text, path);
    throw new DecomError(error("plan.corrupt", `${path}: not a decom plan: no "formatVersion"`));
  }
  if (version !== PLAN_FORMAT_VERSION) {
    throw new DecomError(
      error(
        "plan.version",
        `${path}: plan format version ${version} is not supported by this decom (it reads version ${PLAN_FORMAT_VERSION}); ` +
          (version > PLAN_FORMAT_VERSION ? "it was made by a newer decom: upgrade decom, or " : "") +
          "make the plan again with this decom",
      ),
    );
  }
  if (!validatePlanDocument(data)) {
    throw new DecomError(error("plan.invalid", `${path}: not a valid plan: ${describeSchemaErrors(validatePlanDocument.errors)}`));
  }
  const plan = data as Plan;
  // The schema lets a bare code carry nothing else: each change gets the one shared reason, not an object of its own.
  for (const change of plan.changes) change.reason = BARE_REASONS[change.reason.code as BareReasonCode] ?? change.reason;
  return plan;
}

const APPLY_TAKES = "decom apply takes a file from decom plan --out";

/**
 * A file that is not a plan but another of decom's (or empty) is named for what
 * it is, not called a damaged plan; anything else is left to the caller to call so.
 */
function refuseOtherKind(text: string, path: string): void {
  if (text.trim() === "") throw new DecomError(error("plan.wrong-kind", `${path} is empty, not a saved plan; ${APPLY_TAKES}`));
  const kind = recogniseFile(path, text);
  if (kind === undefined || kind === "plan") return;
  const resume = kind === "journal" ? journalResumeHint(path) : undefined;
  throw new DecomError(
    error("plan.wrong-kind", `${path} is ${KIND_NAMES[kind]}, not a saved plan; ${resume ? `${resume}; ` : ""}${APPLY_TAKES}`),
  );
}

/**
 * Whether the plan is still what `plan` wrote: its digest matches its content
 * (a plan given in memory without one is taken as its caller's own; `digestHolds`
 * when its text showed it already), and its batches delete exactly its `delete`
 * changes. One diagnostic per problem.
 */
export function integrityProblems(plan: Plan, path: string, digestHolds = false): Diagnostic[] {
  const problems: Diagnostic[] = [];
  if (plan.digest !== undefined && !digestHolds && plan.digest !== planDigest(plan)) {
    problems.push(
      error("plan.changed", `${path} was changed after it was made: its content does not match the digest decom plan wrote into it`),
    );
  }
  for (const problem of [...reasonProblems(plan), ...batchProblems(plan)]) problems.push(error("plan.inconsistent", `${path}: ${problem}`));
  return problems;
}

/**
 * Every change's reason is one that explains its action, and only a deletion
 * says what its id is (the lookups that found it gave the attributes), with
 * the attributes its kind has.
 */
function reasonProblems(plan: Plan): string[] {
  const problems: string[] = [];
  for (const c of plan.changes) {
    const action = REASON_ACTION[c.reason.code];
    if (action !== c.action)
      problems.push(`${c.kind} ${quoted(c.id)} is planned ${ACTION_WORDS[c.action]} with a reason for ${action} (${c.reason.code})`);
    for (const attribute of ALL_ATTRIBUTES) {
      if (c[attribute] === undefined) continue;
      if (c.action !== "delete") problems.push(`${c.kind} ${quoted(c.id)} is planned ${ACTION_WORDS[c.action]} and carries a ${attribute}`);
      else if (!(CHANGE_ATTRIBUTES[c.kind] as readonly string[]).includes(attribute))
        problems.push(`${c.kind} ${quoted(c.id)} carries a ${attribute}, which a ${c.kind} does not have`);
    }
  }
  return problems;
}

const ALL_ATTRIBUTES = CHANGE_ATTRIBUTES.resource;

/**
 * Every id has one change, every batch id is a `delete` change of that kind,
 * with its cascade, and every `delete` change is in exactly one batch.
 */
function batchProblems(plan: Plan): string[] {
  const problems: string[] = [];
  // By kind, keyed by id: no "kind:id" string made per id. The other changes (absent, forget) are few.
  const planned: Record<EntityKind, Map<string, Change>> = { resource: new Map(), resourceType: new Map() };
  const others: Record<EntityKind, Set<string>> = { resource: new Set(), resourceType: new Set() };
  for (const change of plan.changes) {
    const { kind, id } = change;
    if (planned[kind].has(id) || others[kind].has(id)) problems.push(`${kind} ${quoted(id)} has more than one change`);
    else if (change.action === "delete") planned[kind].set(id, change);
    else others[kind].add(id);
  }
  if (plan.blockers.length > 0) return plan.waves.length > 0 ? [...problems, "a blocked plan holds batches"] : problems;
  const batched: Record<EntityKind, Set<string>> = { resource: new Set(), resourceType: new Set() };
  for (const wave of plan.waves) {
    for (const { body } of wave.batches) {
      const kind = body.entity === "resource" ? "resource" : "resourceType";
      if (kind !== wave.kind) problems.push(`a ${wave.kind} wave holds a ${body.entity} batch`);
      if (body.query.ids.length > plan.batchSize)
        problems.push(
          `a batch holds ${formatNumber(body.query.ids.length)} ids, more than the plan's batch size of ${formatNumber(plan.batchSize)}`,
        );
      const cascade = body.entity === "resource" ? (body.actionParameters?.cascade ?? []) : [];
      const cascadeText = cascade.join(",");
      for (const id of body.query.ids) {
        const change = planned[kind].get(id);
        if (!change) problems.push(`a batch deletes ${kind} ${quoted(id)}, which no change plans to delete`);
        else if (batched[kind].has(id)) problems.push(`${kind} ${quoted(id)} is in more than one batch`);
        else if (cascadeText !== (change.cascade ?? []).join(",")) {
          const inBatch = cascade.join(", ") || "none";
          const inChange = (change.cascade ?? []).join(", ") || "none";
          problems.push(`${kind} ${quoted(id)} has another cascade in its batch (${inBatch}) than in its change (${inChange})`);
        }
        batched[kind].add(id);
      }
    }
  }
  for (const kind of ["resource", "resourceType"] as const) {
    for (const [id, change] of planned[kind]) {
      if (!batched[kind].has(id)) problems.push(`${change.kind} ${quoted(change.id)} is planned for deletion but in no batch`);
    }
  }
  return problems;
}
