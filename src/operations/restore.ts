/**
 * `restore(options)`: what `decom restore` does, as a function. It recreates
 * archived documents through the official create operations, never
 * overwriting: what exists is left as it is. Everything local is checked
 * before any request (the archive, the ids, the manifest); then, under the
 * state's lock, the ids are looked up in bulk, `approve` is asked, and each
 * level created is recorded at once: a `restored` line per id in the archive,
 * and its state record forgotten through the journal, since decom no longer
 * manages it.
 */
import { relative, resolve } from "node:path";
import { archivePathFor } from "../archive/model.js";
import { readArchive, type Archive, type ArchiveEntry } from "../archive/read.js";
import { ArchiveWriter } from "../archive/writer.js";
import { fail } from "../diagnostics.js";
import { localDisk, type Disk } from "../files/disk.js";
import { createAll, type ToCreate } from "../restore/execute.js";
import type { ListedEntity, RestoreListing } from "../restore/model.js";
import { restoreLevels } from "../restore/order.js";
import { refuseManaged, selectEntries, selectorWarnings } from "../restore/select.js";
import { ENTITY_KINDS, type EntityKind } from "../state/model.js";
import type { StateSession } from "../state/session.js";
import { quoted } from "../text/escape.js";
import { count } from "../text/plural.js";
import type { ConnectOptions, LockWaitOptions, WorkspaceOptions } from "./options.js";
import { DEFAULT_PARALLELISM, lockState, openWorkspace, type Workspace } from "./workspace.js";

import type { RestoreOutcome } from "../restore/execute.js";
export type { RestoreOutcome } from "../restore/execute.js";
export type { ListedEntity, RestoreListing } from "../restore/model.js";

export interface RestoreOptions extends WorkspaceOptions, LockWaitOptions, ConnectOptions {
  /** Archived ids to restore (a resource, a resource type, or both when both were archived under it). */
  ids?: readonly string[];
  /** Every archived entity not restored since it was archived. */
  all?: boolean;
  /** The archive, relative to `cwd` (default: `X.archive.jsonl` beside `X.state.json`). */
  archive?: string;
  /** Creates in flight at once within a level (default 4). */
  concurrency?: number;
  /** After the lookups: what will be created and what is left as it is. */
  onListing?: (listing: RestoreListing) => void;
  /** Whether to go ahead (the CLI's `yes`); without it, restore goes ahead. */
  approve?: (listing: RestoreListing) => boolean | Promise<boolean>;
  /** Each id's outcome, as it is known. */
  onOutcome?: (outcome: RestoreOutcome) => void;
  /** Ctrl-C: no new create; creates under way end and are recorded. */
  stop?: AbortSignal;
}

export type RestoreResult =
  | { status: "restored"; listing: RestoreListing; outcomes: RestoreOutcome[] }
  | { status: "cancelled"; listing: RestoreListing }
  /** `stop` while waiting for the lock, or before the question was answered: nothing was created. */
  | { status: "interrupted" };

export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const ids = options.ids ?? [];
  if (options.all && ids.length > 0) fail("usage.conflict", "decom restore: name ids or give --all, not both");
  if (!options.all && ids.length === 0)
    fail("usage.missing-argument", "decom restore: which ids? Name them, or restore every archived one with --all");
  const workspace = openWorkspace(options);
  const disk = options.disk ?? localDisk;
  const archivePath =
    options.archive !== undefined ? resolve(workspace.cwd, options.archive) : archivePathFor(workspace.paths.stateAbsolute);
  const archiveShown = options.archive ?? archivePathFor(workspace.paths.state);
  if (options.archive !== undefined) {
    if (disk.size(archivePath) === undefined) fail("restore.no-archive", `--archive ${options.archive}: no such file`);
    refuseOtherState(archivePath, options.archive, workspace);
  }
  const archive = readArchive(disk, archivePath, archiveShown, { documents: true });
  const entries = selectEntries(archive, ids, options.all === true, archiveShown);
  refuseManaged(entries, workspace.manifest);
  refuseOtherTenant(entries, workspace.api.endpoint, archiveShown);
  if (entries.length === 0) {
    // --all, and every archived document was restored since: nothing to ask the tenant.
    const listing: RestoreListing = { archive: archiveShown, toCreate: [], existing: [] };
    options.onListing?.(listing);
    return { status: "restored", listing, outcomes: [] };
  }

  const locked = await lockState(workspace, "decom restore", options, options.stop);
  if (locked === undefined) return { status: "interrupted" };
  const { session, release } = locked;
  let writer: ArchiveWriter | undefined;
  try {
    refuseInFlight(entries, session);
    for (const w of selectorWarnings(entries, workspace.manifest, session.current)) options.onWarning?.(w);
    const listing = await lookUp(workspace, entries, session, archiveShown);
    options.onListing?.(listing);
    if (options.stop?.aborted) return { status: "interrupted" };
    if (options.approve && !(await options.approve(listing))) {
      return options.stop?.aborted ? { status: "interrupted" } : { status: "cancelled", listing };
    }
    const toCreate: ToCreate = { resourceTypes: new Map(), resources: new Map() };
    const wanted = new Set(listing.toCreate.map((e) => `${e.kind}:${e.id}`));
    for (const e of entries) {
      if (wanted.has(`${e.kind}:${e.id}`)) (e.kind === "resource" ? toCreate.resources : toCreate.resourceTypes).set(e.id, e.document!);
    }
    const opened =
      toCreate.resources.size + toCreate.resourceTypes.size > 0 ? appendTo(disk, archivePath, archiveShown, archive) : undefined;
    writer = opened;
    // Before the first create: an archive someone changed meanwhile stops restore with nothing created, not unrecorded.
    opened?.ready();
    const outcomes = await createAll(workspace.api, toCreate, {
      concurrency: options.concurrency ?? DEFAULT_PARALLELISM,
      stop: options.stop,
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
      onCreated: (kind, created) => {
        // The archive first: a crash before the state is written leaves a record the next plan forgets, nothing lost.
        const time = new Date().toISOString();
        opened!.restored(kind, created, time);
        const managed = created.filter((id) => session.state[kind].has(id));
        if (managed.length > 0) session.append({ removed: { kind, ids: managed, time } });
      },
    });
    return { status: "restored", listing, outcomes };
  } finally {
    try {
      session.compact();
    } finally {
      writer?.close();
      release();
    }
  }
}

/**
 * A writer for the archive read before the lock was taken: not read again
 * unless an apply appended to it while restore waited for the lock.
 */
function appendTo(disk: Disk, path: string, shown: string, archive: Archive): ArchiveWriter {
  return disk.size(path) === archive.size ? ArchiveWriter.over(disk, path, shown, archive) : ArchiveWriter.open(disk, path, shown);
}

/**
 * An archive beside another state belongs to that state's manifest and lock:
 * restoring from here would check neither, so it is refused.
 */
function refuseOtherState(archivePath: string, shown: string, workspace: Workspace): void {
  if (!archivePath.endsWith(".archive.jsonl")) return;
  const state = `${archivePath.slice(0, -".archive.jsonl".length)}.state.json`;
  if (state === workspace.paths.stateAbsolute || localDisk.size(state) === undefined) return;
  fail(
    "restore.other-state",
    `--archive ${shown} belongs to the state beside it (${relative(workspace.cwd, state) || state}), not to ${workspace.paths.state}; ` +
      "restore from that state's folder (or with its -f and --state), so that its manifest and lock are checked",
  );
}

/** Lines that name the tenant they were deleted from are created only there. */
function refuseOtherTenant(entries: readonly ArchiveEntry[], endpoint: string, archiveShown: string): void {
  const foreign = entries.filter((e) => e.endpoint !== undefined && e.endpoint !== endpoint);
  const first = foreign[0];
  if (!first) return;
  const more = foreign.length > 1 ? ` (and ${count(foreign.length - 1, "other id")})` : "";
  fail(
    "restore.other-tenant",
    `${archiveShown}:${first.line}: ${first.kind} ${quoted(first.id)}${more} was deleted from ${first.endpoint}, and this run ` +
      `targets ${endpoint}; restore it with --endpoint ${first.endpoint}`,
  );
}

/** An id in a batch an interrupted apply left in flight may be deleted yet: that batch must settle first. */
function refuseInFlight(entries: readonly ArchiveEntry[], session: StateSession): void {
  const batches = session.inFlightBatches().map(([, batch]) => batch);
  const busy = entries.find((e) => batches.some((b) => b.kind === e.kind && b.ids.has(e.id)));
  if (busy)
    fail(
      "restore.in-flight",
      `${busy.kind} ${quoted(busy.id)} is in a batch an interrupted apply left in flight; ` +
        "run decom plan or decom apply first, which follow it to its end; nothing was restored",
    );
}

/** Which entities exist on the tenant (asked in bulk, 100 ids a request), and the order the rest are created in. */
async function lookUp(
  workspace: Workspace,
  entries: readonly ArchiveEntry[],
  session: StateSession,
  archive: string,
): Promise<RestoreListing> {
  const exists: Record<EntityKind, Set<string>> = { resource: new Set(), resourceType: new Set() };
  for (const kind of ENTITY_KINDS) {
    const ids = entries.filter((e) => e.kind === kind).map((e) => e.id);
    if (ids.length === 0) continue;
    // Existence only: the projected lookups plan makes, not whole documents.
    const found = kind === "resource" ? await workspace.api.findResources(ids) : await workspace.api.findResourceTypes(ids);
    for (const facts of found) exists[kind].add(facts.id);
  }
  const listed = (e: ArchiveEntry): ListedEntity => {
    const { name, resourceTypeId, parentId } = e.document!;
    // The archive line says what its batch's cascade removed; older lines have only the state record to ask.
    const cascade = e.cascade ?? session.state[e.kind].get(e.id)?.cascade;
    return {
      kind: e.kind,
      id: e.id,
      ...(typeof name === "string" ? { name } : {}),
      ...(e.kind === "resource" && typeof resourceTypeId === "string" ? { resourceTypeId } : {}),
      ...(e.kind === "resource" && typeof parentId === "string" ? { parentId } : {}),
      ...(cascade && cascade.length > 0 ? { cascade } : {}),
    };
  };
  const missing = entries.filter((e) => !exists[e.kind].has(e.id));
  const byId = (kind: EntityKind) => new Map(missing.filter((e) => e.kind === kind).map((e) => [e.id, e]));
  const types = byId("resourceType");
  const resources = byId("resource");
  const levels = restoreLevels(
    [...types.values()],
    [...resources.values()].map((e) => ({ id: e.id, parentId: e.document!.parentId })),
  );
  return {
    archive,
    toCreate: [...levels.resourceTypes.map((id) => types.get(id)!), ...levels.resources.flat().map((id) => resources.get(id)!)].map(listed),
    existing: entries.filter((e) => exists[e.kind].has(e.id)).map(listed),
  };
}
