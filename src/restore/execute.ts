/**
 * Creates what restore recreates: types first, then resources level by level,
 * a few at a time within a level. Never overwrites: a 409 is "exists"; a 400 is
 * that id's failure with the server's words, and what depends on it (a child of
 * a resource, a resource of a type) is not attempted. A create whose answer is
 * lost (the connection dropped, a 5xx) may have been carried out, so the id is
 * looked up once: if it exists now, it is said to exist, not guessed created.
 */
import type { ArchivedDocument } from "../archive/model.js";
import { mapConcurrent } from "../async/map-concurrent.js";
import type { EntityKind } from "../state/model.js";
import { quoted } from "../text/escape.js";
import type { WaylayApi } from "../waylay/client.js";
import { AuthError } from "../waylay/errors/AuthError.js";
import { RequestCancelledError } from "../waylay/errors/RequestCancelledError.js";
import { createBody, restoreLevels } from "./order.js";

export type RestoreOutcome =
  | { kind: EntityKind; id: string; outcome: "created" }
  /** A 409, or a lost answer after which the id exists: someone's entity is there, left as it is. */
  | { kind: EntityKind; id: string; outcome: "exists"; message: string }
  | { kind: EntityKind; id: string; outcome: "failed"; statusCode?: number; message: string }
  /** Not attempted: what it depends on was not restored, or restore was stopped. */
  | { kind: EntityKind; id: string; outcome: "skipped"; message: string };

export interface ToCreate {
  resourceTypes: Map<string, ArchivedDocument>;
  resources: Map<string, ArchivedDocument>;
}

export interface CreateAllOptions {
  /** Creates in flight at once within a level. */
  concurrency: number;
  /** After each level, the ids it created: recorded before the next level starts. */
  onCreated: (kind: EntityKind, ids: string[]) => void;
  onOutcome?: (outcome: RestoreOutcome) => void;
  /** No new create once aborted; what is left is not attempted. */
  stop?: AbortSignal | undefined;
}

const ENTITY = { resource: "resource", resourceType: "resourcetype" } as const;

export async function createAll(api: WaylayApi, toCreate: ToCreate, options: CreateAllOptions): Promise<RestoreOutcome[]> {
  const levels = restoreLevels([...toCreate.resourceTypes.values()], [...toCreate.resources.values()]);
  const outcomes: RestoreOutcome[] = [];
  /** Ids of each kind that were to be created and are not there. */
  const missing: Record<EntityKind, Set<string>> = { resource: new Set(), resourceType: new Set() };
  const steps: [EntityKind, string[]][] = [
    ["resourceType", levels.resourceTypes],
    ...levels.resources.map((l) => ["resource", l] as [EntityKind, string[]]),
  ];
  for (const [kind, ids] of steps) {
    const documents = kind === "resource" ? toCreate.resources : toCreate.resourceTypes;
    const level = await mapConcurrent(ids, options.concurrency, async (id) => {
      const document = documents.get(id)!;
      const blocker = kind === "resource" ? dependencyMissing(document, missing) : undefined;
      if (blocker !== undefined) return { kind, id, outcome: "skipped", message: blocker } as const;
      if (options.stop?.aborted) return { kind, id, outcome: "skipped", message: "restore was interrupted before it" } as const;
      return createOne(api, kind, document);
    });
    for (const outcome of level) {
      if (outcome.outcome === "failed" || outcome.outcome === "skipped") missing[kind].add(outcome.id);
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    }
    const created = level.filter((o) => o.outcome === "created").map((o) => o.id);
    if (created.length > 0) options.onCreated(kind, created);
  }
  return outcomes;
}

function dependencyMissing(document: ArchivedDocument, missing: Record<EntityKind, Set<string>>): string | undefined {
  const { parentId, resourceTypeId } = document;
  if (typeof resourceTypeId === "string" && missing.resourceType.has(resourceTypeId))
    return `its resource type ${quoted(resourceTypeId)} was not restored`;
  if (typeof parentId === "string" && missing.resource.has(parentId)) return `its parent ${quoted(parentId)} was not restored`;
  return undefined;
}

async function createOne(api: WaylayApi, kind: EntityKind, document: ArchivedDocument): Promise<RestoreOutcome> {
  const { id } = document;
  try {
    const answer = await api.create(ENTITY[kind], createBody(kind, document));
    if (answer.status === "created") return { kind, id, outcome: "created" };
    if (answer.status === "exists") return { kind, id, outcome: "exists", message: answer.message };
    return { kind, id, outcome: "failed", statusCode: 400, message: answer.message };
  } catch (err) {
    if (err instanceof RequestCancelledError || err instanceof AuthError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    try {
      const found = await api.getDocuments(ENTITY[kind], [id]);
      if (found.some((d) => d.id === id))
        return { kind, id, outcome: "exists", message: `the answer to its create was lost (${message}), and it exists now` };
    } catch (lookup) {
      if (lookup instanceof RequestCancelledError || lookup instanceof AuthError) throw lookup;
    }
    return { kind, id, outcome: "failed", message };
  }
}
