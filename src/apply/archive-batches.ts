/**
 * Archives the documents of each batch before it is sent (issue 13): the whole
 * document of every id, fsync'd, then the POST. The documents are fetched in
 * plan order, `chunkSize` ids per request (the client's lookup size), a window
 * of chunks ahead of the batch being sent, so by the time a batch is due its
 * documents are usually already here: the apply's wall time barely moves, and
 * the requests are ⌈N / chunkSize⌉.
 */
import type { ArchivedDocument } from "../archive/model.js";
import { mapConcurrent } from "../async/map-concurrent.js";
import type { ArchiveWriter } from "../archive/writer.js";
import type { CascadeOption } from "../manifest/model.js";
import type { Plan } from "../plan/model.js";
import type { EntityKind } from "../state/model.js";
import type { WaylayApi } from "../waylay/client.js";

export interface ArchiveOptions {
  /** Ids per document request (default 100, the client's lookup size). */
  chunkSize?: number;
  /** Document requests started at once (default 8; the client's limit on lookups applies too). */
  concurrency?: number;
  /** Batches in flight at once: the window ahead covers that many of the plan's largest batches (default 4). */
  parallelism?: number;
}

/** What a batch calls before it is sent (none with `--no-archive`). */
export interface BatchArchiver {
  /** Resolves once the documents of `ids` are on disk; rejects when they cannot be: the batch must not be sent. */
  beforeSubmit(kind: EntityKind, ids: readonly string[], at: { seq: number; time: string; cascade?: CascadeOption[] }): Promise<void>;
  /** Lines and bytes this apply added to the archive. */
  readonly written: { lines: number; bytes: number };
}

interface Chunk {
  kind: EntityKind;
  ids: string[];
  /** Ids not yet archived. */
  left: number;
  documents?: Promise<Map<string, ArchivedDocument>>;
}

const RELEASED: Promise<Map<string, ArchivedDocument>> = Promise.resolve(new Map());

export class PrefetchingArchiver implements BatchArchiver {
  private readonly chunks: Chunk[] = [];
  /** kind → id → index of its chunk. */
  private readonly chunkOf: Record<EntityKind, Map<string, number>> = { resource: new Map(), resourceType: new Map() };
  /** Ids archived (or found gone) by this apply: a batch submitted again archives nothing twice. */
  private readonly done: Record<EntityKind, Set<string>> = { resource: new Set(), resourceType: new Set() };
  private readonly chunkSize: number;
  private readonly concurrency: number;
  private readonly window: number;
  private next = 0;
  private inFlight = 0;
  private horizon: number;

  constructor(
    plan: Plan,
    private readonly api: WaylayApi,
    private readonly writer: ArchiveWriter,
    /** The state's number for this apply, written on each line. */
    private readonly apply: number | undefined,
    options: ArchiveOptions = {},
  ) {
    this.chunkSize = options.chunkSize ?? 100;
    this.concurrency = options.concurrency ?? 8;
    const largest = plan.waves.reduce((m, w) => w.batches.reduce((n, b) => Math.max(n, b.body.query.ids.length), m), 0);
    // Ahead of the batch being sent: the documents of the next `parallelism` batches, and at least a few requests' worth.
    this.window = Math.max(8, Math.ceil(((options.parallelism ?? 4) * largest) / this.chunkSize));
    // Each kind's ids in plan order, across waves: ⌈n / chunkSize⌉ requests per kind, not per wave.
    for (const kind of ["resource", "resourceType"] as const) {
      const ids = plan.waves.filter((w) => w.kind === kind).flatMap((w) => w.batches.flatMap((b) => b.body.query.ids));
      for (let i = 0; i < ids.length; i += this.chunkSize) {
        const chunk = ids.slice(i, i + this.chunkSize);
        for (const id of chunk) this.chunkOf[kind].set(id, this.chunks.length);
        this.chunks.push({ kind, ids: chunk, left: chunk.length });
      }
    }
    this.horizon = this.window - 1;
    this.pump();
  }

  get written(): { lines: number; bytes: number } {
    return this.writer.stats;
  }

  async beforeSubmit(
    kind: EntityKind,
    ids: readonly string[],
    at: { seq: number; time: string; cascade?: CascadeOption[] },
  ): Promise<void> {
    const wanted = ids.filter((id) => !this.done[kind].has(id));
    const indexes = [...new Set(wanted.map((id) => this.chunkOf[kind].get(id)).filter((i) => i !== undefined))].sort((a, b) => a - b);
    const furthest = indexes.at(-1);
    if (furthest !== undefined && furthest + this.window > this.horizon) {
      this.horizon = furthest + this.window;
      this.pump();
    }
    const documents: ArchivedDocument[] = [];
    const fetched = await Promise.all(indexes.map((i) => this.documentsOf(i)));
    const byId = new Map(fetched.flatMap((m) => [...m]));
    const strays = wanted.filter((id) => !this.chunkOf[kind].has(id));
    // An id the plan did not list (none should be): fetched on its own rather than sent unarchived.
    if (strays.length > 0) for (const d of await this.api.getDocuments(entityOf(kind), strays)) byId.set(d.id, d);
    // Planning found these ids, and the listing did not return them: gone since, or a listing that left them out
    // (a gateway dropping repeated ids, a lagging index). Each is asked by its own URL: only a 404 sends it unarchived.
    const unlisted = wanted.filter((id) => !byId.has(id));
    for (const document of await mapConcurrent(unlisted, 4, (id) => this.api.getDocument(entityOf(kind), id))) {
      if (document) byId.set(document.id, document);
    }
    for (const id of wanted) {
      const document = byId.get(id);
      // Gone already (the batch will say absent): nothing to archive.
      if (document) documents.push(document);
    }
    this.writer.archive(kind, documents, {
      ...(this.apply !== undefined ? { apply: this.apply } : {}),
      endpoint: this.api.endpoint,
      ...at,
    });
    for (const id of wanted) {
      this.done[kind].add(id);
      const chunk = this.chunks[this.chunkOf[kind].get(id) ?? -1];
      // Every id of a chunk archived: its documents are let go, so memory stays a window, not the plan.
      if (chunk && --chunk.left === 0) chunk.documents = RELEASED;
    }
  }

  /** Starts chunk requests in plan order, up to the horizon, `concurrency` at a time. */
  private pump(): void {
    while (this.inFlight < this.concurrency && this.next < this.chunks.length && this.next <= this.horizon) {
      this.start(this.next++);
    }
  }

  private documentsOf(index: number): Promise<Map<string, ArchivedDocument>> {
    // Asked for before its turn (out of order): started now, so a batch never waits on the window.
    const chunk = this.chunks[index] as Chunk;
    return chunk.documents ?? this.start(index);
  }

  private start(index: number): Promise<Map<string, ArchivedDocument>> {
    const chunk = this.chunks[index] as Chunk;
    if (chunk.documents) return chunk.documents;
    this.inFlight++;
    const documents = this.api
      .getDocuments(entityOf(chunk.kind), chunk.ids)
      .then((list) => new Map(list.map((d) => [d.id, d as ArchivedDocument])))
      .finally(() => {
        this.inFlight--;
        this.pump();
      });
    // A chunk no batch awaits yet must not fail the process; the batch that needs it sees the error.
    documents.catch(() => {});
    chunk.documents = documents;
    return documents;
  }
}

function entityOf(kind: EntityKind): "resource" | "resourcetype" {
  return kind === "resource" ? "resource" : "resourcetype";
}
