/**
 * A local fake of the Waylay Resources API subset decom uses, on node:http, with
 * the official contract's paths, shapes and failure modes. The demo and the
 * tests run against it; it is never in the code path that talks to a tenant.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { authorizationHeader, type Credentials } from "../waylay/auth.js";
import type { DeleteBatchBody } from "../waylay/wire.js";
import { describeSchemaErrors, validateBatchBody, validateResourceBatchBody, validateResourceTypeBatchBody } from "../schemas.js";
import { sleep } from "../async/sleep.js";
import { create } from "./create.js";
import { BatchQueue, type BatchTiming, type EmulatedBatch } from "./batches.js";
import { FaultInjector, noFaults, type FaultCounts, type FaultOptions } from "./faults.js";
import { ListingError, page, selectEntities } from "./listing.js";
import type { Seed } from "./seed.js";
import { Tenant, type DeleteOutcome, type EmulatedEntity } from "./tenant.js";

export interface EmulatorOptions {
  seed?: Seed;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  timing?: Partial<BatchTiming>;
  /** The largest page the listing endpoints return, whatever `limit` asks. */
  maxPageSize?: number;
  /** When set, every request must carry exactly these credentials (else 401). */
  credentials?: Credentials;
  /**
   * A new batch answers 404 to status requests for this long, as the real
   * service may shortly after creation (its queue is eventually consistent).
   */
  batchVisibleAfterMs?: number;
  /**
   * The service loses track of one batch: the `nth` accepted batch (1-based)
   * answers 404 to status requests for `forMs` after it was accepted (forever
   * without it), as a service does that restarted or registers batches slowly.
   * With `dropped`, the batch is forgotten before it runs: its ids are never deleted.
   */
  unknownBatch?: { nth: number; forMs?: number; dropped?: boolean };
  /**
   * The 202s of these accepted batches (1-based, in acceptance order) are lost:
   * the batch is accepted and runs, then the connection is reset. Unlike
   * `faults.resetRate`, certain to happen, so a test can rely on it.
   */
  lostAcceptances?: readonly number[];
  faults?: FaultOptions;
  /** Failures report `statusCode` as a string with a trailing comma (`"404,"`), as the contract's own example does. */
  quirkyStatusCodes?: boolean;
  /** Called when a batch is accepted (before its 202 is sent). */
  onBatchAccepted?: (batch: EmulatedBatch) => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
}

export type RequestKind = "listing" | "get" | "batchPost" | "batchStatus" | "delete" | "createResource" | "createResourceType" | "other";

/** What the emulator saw, for benchmarks that run it as a separate process (GET /__emulator/stats). */
export interface EmulatorStats {
  requests: Record<RequestKind, number>;
  /** Deletion-worker time booked by batches and single DELETEs (ms). */
  workerBusyMs: number;
  batchesAccepted: number;
  idsAccepted: number;
  /** Ids that were in more than one accepted batch. */
  idsAcceptedTwice: number;
  resources: number;
  resourceTypes: number;
  /** Faults served so far: injected ones, and batch statuses hidden by `batchVisibleAfterMs` or `unknownBatch`. */
  faults: FaultCounts;
}

export function requestKind(method: string, path: string): RequestKind {
  if (path === "/resources/v1/batch" && method === "POST") return "batchPost";
  if (path.startsWith("/resources/v1/batch/") && method === "GET") return "batchStatus";
  if (method === "DELETE") return "delete";
  if (path === "/resources/v1/resources" && method === "POST") return "createResource";
  if (path === "/resources/v1/resourcetypes" && method === "POST") return "createResourceType";
  if (
    method === "GET" &&
    (path === "/resources/v1/resources" ||
      path === "/resources/v1/resourcetypes" ||
      path.endsWith("/children") ||
      path.endsWith("/referrers"))
  )
    return "listing";
  if (method === "GET") return "get";
  return "other";
}

export class Emulator {
  readonly tenant = new Tenant();
  readonly batches: BatchQueue;
  readonly requests: RecordedRequest[] = [];
  /**
   * Tests only: a status to answer a request with instead of handling it (e.g. every document listing refused),
   * with a Retry-After (seconds) if given as `{ status, retryAfter }`.
   */
  refuse: ((request: RecordedRequest) => number | { status: number; retryAfter: number } | undefined) | undefined;
  /** Tests only: resources a listing leaves out, as a lagging search index or a gateway dropping parameters would. */
  hideFromListing: ((id: string, params: URLSearchParams) => boolean) | undefined;
  private readonly server: Server;
  private readonly maxPageSize: number;
  private readonly expectedAuthorization: string | undefined;
  private readonly faults: FaultInjector;
  private readonly faultsServed = noFaults();
  /** Resource listings' matches by query (paging aside), as of a version of the tenant: see selectResources. */
  private readonly listings = new Map<string, { version: number; selected: EmulatedEntity[] }>();
  private address: AddressInfo | undefined;

  constructor(private readonly options: EmulatorOptions = {}) {
    for (const type of options.seed?.resourceTypes ?? []) this.tenant.addResourceType(type);
    for (const resource of options.seed?.resources ?? []) this.tenant.addResource(resource);
    this.batches = new BatchQueue(this.tenant, { startDelayMs: 10, perIdMs: 0.2, ...options.timing });
    this.maxPageSize = options.maxPageSize ?? 1000;
    this.expectedAuthorization = options.credentials ? authorizationHeader(options.credentials) : undefined;
    this.faults = new FaultInjector(options.faults);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => send(res, 500, { statusCode: 500, error: String(err) }));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    this.address = this.server.address() as AddressInfo;
    return this;
  }

  get url(): string {
    if (!this.address) throw new Error("emulator is not listening");
    const host = this.address.family === "IPv6" ? `[${this.address.address}]` : this.address.address;
    return `http://${host}:${this.address.port}`;
  }

  stats(): EmulatorStats {
    const requests: Record<RequestKind, number> = {
      listing: 0,
      get: 0,
      batchPost: 0,
      batchStatus: 0,
      delete: 0,
      createResource: 0,
      createResourceType: 0,
      other: 0,
    };
    for (const r of this.requests) requests[requestKind(r.method, r.path)]++;
    const seen = new Set<string>();
    let ids = 0;
    let twice = 0;
    for (const batch of this.batches.batches.values()) {
      for (const id of batch.body.query.ids) {
        ids++;
        const key = `${batch.body.entity}:${id}`;
        if (seen.has(key)) twice++;
        seen.add(key);
      }
    }
    return {
      requests,
      workerBusyMs: this.batches.busyMs,
      batchesAccepted: this.batches.batches.size,
      idsAccepted: ids,
      idsAcceptedTwice: twice,
      resources: this.tenant.resources.size,
      resourceTypes: this.tenant.resourceTypes.size,
      faults: { ...this.faultsServed },
    };
  }

  /** Requests received so far, optionally only those matching `method` and a path prefix. */
  count(method?: string, pathPrefix?: string): number {
    return this.requests.filter((r) => (!method || r.method === method) && (!pathPrefix || r.path.startsWith(pathPrefix))).length;
  }

  async close(): Promise<void> {
    this.batches.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = req.method ?? "GET";
    // The emulator's own endpoint, outside the Waylay API: not counted, never faulty.
    if (url.pathname === "/__emulator/stats" && method === "GET") return send(res, 200, this.stats());
    const recorded = { method, path: url.pathname, search: url.search };
    this.requests.push(recorded);
    const refusal = this.refuse?.(recorded);
    if (refusal !== undefined) {
      const { status, retryAfter } = typeof refusal === "number" ? { status: refusal, retryAfter: undefined } : refusal;
      const headers: Record<string, string> = retryAfter !== undefined ? { "retry-after": String(retryAfter) } : {};
      return send(res, status, { statusCode: status, error: "refused by the test" }, headers);
    }
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    const isBatchPost = method === "POST" && url.pathname === "/resources/v1/batch";
    const fault = this.faults.draw(isBatchPost);
    if (fault.kind === "status") {
      this.faultsServed.serverErrors++;
      return send(res, fault.status, { statusCode: fault.status, error: "injected fault" });
    }
    if (fault.kind === "rate-limit") {
      this.faultsServed.rateLimited++;
      return send(res, 429, { statusCode: 429, error: "Too Many Requests (injected)" }, { "retry-after": String(fault.retryAfter) });
    }
    if (fault.kind === "reset" && !fault.afterHandling) {
      this.faultsServed.resetsBeforeHandling++;
      req.socket.destroy();
      return;
    }
    if (fault.kind === "reset") {
      // The work is done, the answer is lost: the batch is accepted, then the connection drops.
      await this.handleAuthorized(req, res, url, method, true);
      return;
    }
    await this.handleAuthorized(req, res, url, method);
  }

  private async handleAuthorized(req: IncomingMessage, res: ServerResponse, url: URL, method: string, loseAnswer = false): Promise<void> {
    if (this.expectedAuthorization && req.headers.authorization !== this.expectedAuthorization) {
      return send(res, 401, { statusCode: 401, error: "Unauthorized" });
    }
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (segments[0] !== "resources" || segments[1] !== "v1") return notFound(res, method, url.pathname);
    const [collection, id, sub] = segments.slice(2);
    const params = url.searchParams;
    try {
      if (collection === undefined && method === "GET") {
        return send(res, 200, { name: "resources-service", version: "8.5.0 (decom emulator)" });
      }
      if ((collection === "resources" || collection === "resourcetypes") && id === undefined && method === "POST") {
        const answer = create(this.tenant, collection === "resources" ? "resource" : "resourcetype", await readBody(req));
        return send(res, answer.statusCode, answer.body, answer.statusCode === 201 ? { location: answer.location } : {});
      }
      if (collection === "resources") return this.resources(res, method, params, id, sub);
      if (collection === "resourcetypes" && sub === undefined) return this.resourceTypes(res, method, params, id);
      if (collection === "batch" && sub === undefined) {
        if (method === "POST" && id === undefined) return this.startBatch(res, await readBody(req), loseAnswer);
        if (method === "GET" && id !== undefined) return this.getBatch(res, id);
      }
    } catch (err) {
      if (err instanceof ListingError) return send(res, 400, { statusCode: 400, error: err.message });
      throw err;
    }
    return notFound(res, method, url.pathname);
  }

  private resources(res: ServerResponse, method: string, params: URLSearchParams, id?: string, sub?: string): void {
    const tenant = this.tenant;
    if (id === undefined && method === "GET") {
      const selected = this.selectResources(params);
      const hide = this.hideFromListing;
      return listing(res, hide ? selected.filter((r) => !hide(r.id, params)) : selected, params, this.maxPageSize);
    }
    if (id === undefined) return notFound(res, method, "/resources/v1/resources");
    const resource = tenant.resources.get(id);
    if (sub === "children" && method === "GET") {
      if (!resource) return send(res, 404, { statusCode: 404, error: `No resource with id ${id}` });
      const children = tenant.childIds(id).map((child) => tenant.resources.get(child)!);
      return listing(res, children, params, this.maxPageSize);
    }
    if (sub === "referrers" && method === "GET") {
      if (!resource) return send(res, 404, { statusCode: 404, error: `No resource with id ${id}` });
      const referrers = tenant.referrerIds(id).map((referrer) => tenant.resources.get(referrer)!);
      return listing(res, referrers, params, this.maxPageSize);
    }
    if (sub !== undefined) return notFound(res, method, `/resources/v1/resources/${id}/${sub}`);
    if (method === "GET") {
      return resource ? send(res, 200, resource) : send(res, 404, { statusCode: 404, error: `No resource with id ${id}` });
    }
    if (method === "DELETE") return this.deleteOne(res, () => tenant.deleteResource(id));
    return notFound(res, method, `/resources/v1/resources/${id}`);
  }

  /**
   * What a resource listing matches, paging aside. The last query's matches are
   * kept while the tenant is unchanged, so paging through 200,000 of them does
   * not scan the tenant again for every page (as a search index would not):
   * the emulator's own CPU is not the tenant's latency, which `--latency` sets.
   */
  private selectResources(params: URLSearchParams): EmulatedEntity[] {
    const tenant = this.tenant;
    const index = (key: "parentId" | "resourceTypeId", values: readonly string[]) =>
      values.flatMap((value) => (key === "parentId" ? tenant.childIds(value) : tenant.resourceIdsOfType(value)));
    // Listings by id are read from the tenant's map directly: nothing to keep.
    if (params.has("id")) return selectEntities(params, tenant.resources, () => tenant.resourceIdsSorted(), index);
    const query = new URLSearchParams(params);
    for (const paging of ["skip", "limit", "fields", "field"]) query.delete(paging);
    query.sort();
    const key = query.toString();
    const kept = this.listings.get(key);
    if (kept && kept.version === tenant.version) return kept.selected;
    const selected = selectEntities(params, tenant.resources, () => tenant.resourceIdsSorted(), index);
    if (this.listings.size >= KEPT_LISTINGS) this.listings.delete(this.listings.keys().next().value as string);
    this.listings.set(key, { version: tenant.version, selected });
    return selected;
  }

  /** A single DELETE takes its turn on the same deletion worker as batches. */
  private deleteOne(res: ServerResponse, remove: () => DeleteOutcome): void {
    const timer = setTimeout(() => {
      const outcome = remove();
      if (outcome.error === undefined) send(res, 204);
      else send(res, outcome.statusCode, { statusCode: outcome.statusCode, error: outcome.error });
    }, this.batches.reserve(1));
    res.on("close", () => clearTimeout(timer));
  }

  private resourceTypes(res: ServerResponse, method: string, params: URLSearchParams, id?: string): void {
    const tenant = this.tenant;
    if (id === undefined && method === "GET") {
      return listing(
        res,
        selectEntities(params, tenant.resourceTypes, () => tenant.resourceTypeIdsSorted()),
        params,
        this.maxPageSize,
      );
    }
    if (id !== undefined && method === "GET") {
      const type = tenant.resourceTypes.get(id);
      return type ? send(res, 200, type) : send(res, 404, { statusCode: 404, error: `No type with id ${id}` });
    }
    if (id !== undefined && method === "DELETE") return this.deleteOne(res, () => tenant.deleteResourceType(id));
    return notFound(res, method, `/resources/v1/resourcetypes${id ? `/${id}` : ""}`);
  }

  /** POST /resources/v1/batch: validated against the contract, queued, 202 with Location. */
  private startBatch(res: ServerResponse, raw: string, loseAnswer: boolean): void {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { statusCode: 400, error: "/ <- request body is not valid JSON" });
    }
    const entity = (body as { entity?: unknown } | null)?.entity;
    const validate =
      entity === "resource" ? validateResourceBatchBody : entity === "resourcetype" ? validateResourceTypeBatchBody : validateBatchBody;
    if (!validate(body)) {
      return send(res, 400, { statusCode: 400, error: describeSchemaErrors(validate.errors) });
    }
    const batch = this.batches.start(body as DeleteBatchBody);
    this.options.onBatchAccepted?.(batch);
    if (this.options.unknownBatch?.dropped && batch.seq === this.options.unknownBatch.nth) this.batches.forget(batch);
    if (loseAnswer || this.options.lostAcceptances?.includes(batch.seq)) {
      this.faultsServed.lostAcceptances++;
      res.socket?.destroy();
      return;
    }
    const uri = `/resources/v1/batch/${batch.id}`;
    send(res, 202, { statusCode: 202, uri, entity: this.batches.view(batch) }, { location: uri });
  }

  private getBatch(res: ServerResponse, id: string): void {
    const batch = this.batches.batches.get(id);
    const age = batch ? Date.now() - Date.parse(batch.queueTime) : 0;
    const unknown = this.options.unknownBatch;
    const hidden =
      batch &&
      (age < (this.options.batchVisibleAfterMs ?? 0) ||
        (unknown !== undefined && batch.seq === unknown.nth && age < (unknown.forMs ?? Number.POSITIVE_INFINITY)));
    if (hidden) this.faultsServed.hiddenBatchStatuses++;
    if (!batch || hidden) return send(res, 404, { statusCode: 404, error: `Operation with id '${id}' not found` });
    send(res, 200, this.batches.view(batch, this.options.quirkyStatusCodes === true));
  }
}

/** Listings whose matches are kept at once (paged through side by side: a plan's selectors and checks). */
const KEPT_LISTINGS = 8;

/** Starts an emulator on loopback; `await emulator.close()` when done. */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return new Emulator(options).listen();
}

function listing(res: ServerResponse, entities: Parameters<typeof page>[0], params: URLSearchParams, maxPageSize: number): void {
  const result = page(entities, params, maxPageSize);
  send(res, 200, result, { "x-count": String(result.total) });
}

function notFound(res: ServerResponse, method: string, path: string): void {
  send(res, 404, { statusCode: 404, error: `No route for ${method} ${path} in the decom emulator` });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers }).end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
