/**
 * The Waylay Resources API calls decom makes: bulk existence lookups through the
 * listing endpoints (repeated `id` parameters, paged), and the two batch
 * endpoints. Everything else about HTTP lives in Transport.
 */
import { AimdLimit, type Pressure } from "../async/aimd.js";
import { mapConcurrent } from "../async/map-concurrent.js";
import { quoted } from "../text/escape.js";
import { parseBatchStatus } from "./batch-status.js";
import { ResponseError } from "./errors/ResponseError.js";
import { chunkIdsForQuery, encodeId } from "./id-chunks.js";
import { serverMessage, type HttpAnswer, type Transport } from "./transport.js";
import {
  resourceQueryPairs,
  type BatchAccepted,
  type BatchStatus,
  type DeleteBatchBody,
  type ResourceFacts,
  type ResourceQuery,
  type ResourceTypeFacts,
} from "./wire.js";

export interface ClientOptions {
  /** Ids per listing request; also its page size. */
  idsPerLookup?: number;
  /** Page size asked for when listing by query (the server may cap it). */
  listPageSize?: number;
  /** Keeps lookup URLs under common gateway limits. */
  maxQueryLength?: number;
  /** Lookup requests in flight at once, at most: fewer while the tenant answers 429 or 503 (see AimdLimit). */
  lookupConcurrency?: number;
}

/** What the planner and executor need from a tenant; WaylayClient is the implementation. */
export interface WaylayApi {
  readonly endpoint: string;
  /** `onFound` hears the ids each request found, as its answer comes (for work that may start before the last). */
  findResources(ids: readonly string[], onFound?: (ids: readonly string[]) => void): Promise<ResourceFacts[]>;
  findResourceTypes(ids: readonly string[]): Promise<ResourceTypeFacts[]>;
  /**
   * Every resource matching the query, following pages to `total`; `expected`, how many the caller expects
   * (a count just made, what a plan matched), lets every page be asked at once.
   */
  listResources(query: ResourceQuery, expected?: number): Promise<ResourceFacts[]>;
  /** How many resources match, from one request (`total`). */
  countResources(query: ResourceQuery): Promise<number>;
  /** How many children a resource has (0 when it does not exist). */
  countChildren(id: string): Promise<number>;
  /** Every child of a resource, following pages (none when it does not exist). */
  listChildren(id: string): Promise<ResourceFacts[]>;
  /**
   * Every resource that refers to this one (a `$ref` in its metadata; the beta
   * listReferrers operation), following pages; a 404 is an error (the route may not be served).
   */
  listReferrers(id: string): Promise<ResourceFacts[]>;
  /**
   * The whole documents (unprojected listing values) of the resources, or of the
   * resource types, among `ids` that exist: what an apply archives. One request
   * per `idsPerLookup` ids (more only for ids too long for one URL).
   */
  getDocuments(entity: "resource" | "resourcetype", ids: readonly string[]): Promise<TenantDocument[]>;
  /**
   * One whole document by its own URL (a resource's without the attributes its
   * type lends it: `denormalized=false`), or null when the tenant answers 404:
   * what the archive asks when a listing did not return an id it was asked for.
   */
  getDocument(entity: "resource" | "resourcetype", id: string): Promise<TenantDocument | null>;
  /**
   * Creates a resource or resource type from `body` (POST, the contract's create
   * operation): "exists" for a 409, "refused" with the server's words for a 400.
   */
  create(entity: "resource" | "resourcetype", body: Record<string, unknown>): Promise<CreateOutcome>;
  /** `pressure` hears whether the tenant throttled it (the executor's limit on batches in flight). */
  startBatch(body: DeleteBatchBody, pressure?: Pressure): Promise<BatchAccepted>;
  /** `null` when the server does not know the batch (404). */
  getBatch(accepted: BatchAccepted, pressure?: Pressure): Promise<BatchStatus | null>;
}

/** A listing value as the tenant holds it, every field kept. */
export type TenantDocument = { id: string; [field: string]: unknown };

export type CreateOutcome = { status: "created" } | { status: "exists"; message: string } | { status: "refused"; message: string };

/** Page size asked for when listing by query (the server may cap it). */
export const DEFAULT_LIST_PAGE_SIZE = 1000;
/** Query strings stay under this many characters: common gateway limits on a URL. */
export const DEFAULT_MAX_QUERY_LENGTH = 6000;
/**
 * Lookups in flight at once, at most: small reads. Planning a million ids takes
 * 10,000 of them; at 8 in flight and 20 ms each that alone was 25-30 s, the
 * process waiting most of it (at 10,000 ids, 8 -> 16 took ~350 ms to ~200 ms).
 * A tenant that cannot take so many says so (429 or 503), and AIMD halves it.
 */
export const DEFAULT_LOOKUP_CONCURRENCY = 32;

const RESOURCES = "/resources/v1/resources";
const RESOURCE_TYPES = "/resources/v1/resourcetypes";
const BATCH = "/resources/v1/batch";

export class WaylayClient implements WaylayApi {
  readonly endpoint: string;
  /** Ids per lookup request. */
  readonly idsPerLookup: number;
  private readonly listPageSize: number;
  private readonly maxQueryLength: number;
  /** Listing requests in flight for lookups and documents, shared by every caller of this client. */
  readonly lookups: AimdLimit;

  constructor(
    private readonly transport: Transport,
    options: ClientOptions = {},
  ) {
    this.endpoint = transport.endpoint;
    this.idsPerLookup = options.idsPerLookup ?? 100;
    this.listPageSize = options.listPageSize ?? DEFAULT_LIST_PAGE_SIZE;
    this.maxQueryLength = options.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH;
    this.lookups = new AimdLimit(options.lookupConcurrency ?? DEFAULT_LOOKUP_CONCURRENCY);
  }

  async findResources(ids: readonly string[], onFound?: (ids: readonly string[]) => void): Promise<ResourceFacts[]> {
    return (await this.lookup(RESOURCES, ids, FACT_FIELDS, onFound)).map(toFacts);
  }

  async listResources(query: ResourceQuery, expected?: number): Promise<ResourceFacts[]> {
    return this.listAll(this.transport.url(RESOURCES), queryParams(query), false, expected);
  }

  async listChildren(id: string): Promise<ResourceFacts[]> {
    return this.listAll(this.transport.url(`${RESOURCES}/${encodeId(id)}/children`), new URLSearchParams(), true);
  }

  async listReferrers(id: string): Promise<ResourceFacts[]> {
    // A 404 is not "no referrers": a gateway that does not serve this beta route answers it too, and a plan
    // that says referrers were checked must not rest on that. The error names the URL and the status.
    return this.listAll(this.transport.url(`${RESOURCES}/${encodeId(id)}/referrers`), new URLSearchParams());
  }

  async countResources(query: ResourceQuery): Promise<number> {
    const url = this.transport.url(RESOURCES);
    const searchParams = queryParams(query);
    searchParams.set("fields", "id");
    searchParams.set("limit", "1");
    return listingPage(await this.transport.send("GET", url, { searchParams, accept: [200] }), url).total;
  }

  async countChildren(id: string): Promise<number> {
    const url = this.transport.url(`${RESOURCES}/${encodeId(id)}/children`);
    const searchParams = new URLSearchParams({ fields: "id", limit: "1" });
    const answer = await this.transport.send("GET", url, { searchParams, accept: [200, 404] });
    return answer.status === 404 ? 0 : listingPage(answer, url).total;
  }

  async findResourceTypes(ids: readonly string[]): Promise<ResourceTypeFacts[]> {
    return (await this.lookup(RESOURCE_TYPES, ids, TYPE_FACT_FIELDS)).map(toTypeFacts);
  }

  async getDocuments(entity: "resource" | "resourcetype", ids: readonly string[]): Promise<TenantDocument[]> {
    return this.lookup(entity === "resource" ? RESOURCES : RESOURCE_TYPES, ids, undefined);
  }

  async getDocument(entity: "resource" | "resourcetype", id: string): Promise<TenantDocument | null> {
    const url = this.transport.url(`${entity === "resource" ? RESOURCES : RESOURCE_TYPES}/${encodeId(id)}`);
    const searchParams = entity === "resource" ? new URLSearchParams({ denormalized: "false" }) : new URLSearchParams();
    const answer = await this.transport.send("GET", url, { searchParams, accept: [200, 404] });
    if (answer.status === 404) return null;
    const body = answer.body as { id?: unknown } | undefined;
    if (!body || typeof body !== "object" || body.id !== id)
      throw new ResponseError("GET", url, `the answer is not the document of ${quoted(id)}`);
    return body as TenantDocument;
  }

  async create(entity: "resource" | "resourcetype", body: Record<string, unknown>): Promise<CreateOutcome> {
    const url = this.transport.url(entity === "resource" ? RESOURCES : RESOURCE_TYPES);
    const answer = await this.transport.send("POST", url, { json: body, accept: [201, 400, 409] });
    if (answer.status === 201) return { status: "created" };
    const message = serverMessage(answer.body);
    return answer.status === 409 ? { status: "exists", message } : { status: "refused", message };
  }

  async startBatch(body: DeleteBatchBody, pressure?: Pressure): Promise<BatchAccepted> {
    const url = this.transport.url(BATCH);
    const answer = await this.transport.send("POST", url, { json: body, accept: [202], pressure });
    const entity = (answer.body as { entity?: { id?: unknown; queueTime?: unknown }; uri?: unknown } | undefined) ?? {};
    const location = answer.headers.get("location") ?? (typeof entity.uri === "string" ? entity.uri : undefined);
    const batchId = typeof entity.entity?.id === "string" ? entity.entity.id : location?.split("/").pop();
    if (!batchId) throw new ResponseError("POST", url, "202 without a batch id, Location header or uri");
    const accepted: BatchAccepted = { batchId, statusUrl: this.statusUrl(location, batchId) };
    if (typeof entity.entity?.queueTime === "string") accepted.queueTime = entity.entity.queueTime;
    return accepted;
  }

  async getBatch(accepted: BatchAccepted, pressure?: Pressure): Promise<BatchStatus | null> {
    // The status URL may come from a state file or a journal, which are files anyone can edit: only the endpoint's own origin.
    const url = this.statusUrl(accepted.statusUrl, accepted.batchId);
    const answer = await this.transport.send("GET", url, { accept: [200, 404], pressure });
    if (answer.status === 404) return null;
    const status = parseBatchStatus(answer.body, accepted.batchId);
    if (typeof status === "string") throw new ResponseError("GET", url, status);
    return status;
  }

  /**
   * Pages through a listing until `total` values have come. The first page
   * tells the total and the page size the server keeps to; the other pages are
   * then asked at once (as many as the lookups' limit lets through), each at
   * its offset, instead of one round trip after another. A caller that knows
   * how many values to expect (`expected`: a count just made, or what a plan
   * matched) has every page of them asked at once, at the page size asked for.
   * Should a page come back short before the end (the listing changed
   * meanwhile, or the server pages unevenly, or keeps to smaller pages), or
   * the total grow, the rest is followed one page at a time from there
   * (`skip` += values received), as a sequential reader would.
   */
  private async listAll(url: string, params: URLSearchParams, missingIsEmpty = false, expected?: number): Promise<ResourceFacts[]> {
    const seen = new Map<string, ResourceFacts>();
    // `pressure` only for a page asked within the lookups' limit: it holds a place there.
    const pageAt = async (skip: number, pressure?: Pressure) => {
      const searchParams = new URLSearchParams(params);
      searchParams.set("fields", FACT_FIELDS);
      searchParams.set("skip", String(skip));
      searchParams.set("limit", String(this.listPageSize));
      const accept = missingIsEmpty ? [200, 404] : [200];
      const answer = await this.transport.send("GET", url, { searchParams, accept, pressure });
      return answer.status === 404 ? undefined : listingPage(answer, url);
    };
    const take = (page: { values: ListedValue[] }) => {
      for (const value of page.values) seen.set(value.id, toFacts(value));
    };
    let stride = this.listPageSize;
    let total = 0;
    let skip = 0;
    const offsets: number[] = [];
    if (expected !== undefined && expected > this.listPageSize) {
      for (let at = 0; at < expected; at += stride) offsets.push(at);
    } else {
      const first = await pageAt(0);
      if (first === undefined) return [];
      take(first);
      stride = first.values.length;
      total = first.total;
      skip = stride;
      if (stride > 0) for (let at = stride; at < total; at += stride) offsets.push(at);
    }
    const pages = await mapConcurrent(offsets, this.lookups, (at) => pageAt(at, this.lookups));
    for (const [index, page] of pages.entries()) {
      // Gone meanwhile (404), as a sequential reader would find it: nothing to list.
      if (page === undefined) return [];
      take(page);
      total = Math.max(total, page.total);
      skip = (offsets[index] as number) + page.values.length;
      // Short before its page's end: what lies between it and the next offset is read one page at a time from here.
      if (page.values.length < stride && skip < page.total) break;
    }
    while (stride > 0 && skip < total) {
      const page = await pageAt(skip);
      if (page === undefined) return [];
      take(page);
      total = page.total;
      if (page.values.length === 0) break;
      skip += page.values.length;
    }
    return [...seen.values()];
  }

  /**
   * Follows `Location` only on the endpoint's own origin: credentials must never
   * be sent to another host. Otherwise the contract's path for the batch id.
   */
  private statusUrl(location: string | undefined, batchId: string): string {
    const fallback = this.transport.url(`${BATCH}/${encodeId(batchId)}`);
    if (!location) return fallback;
    if (location.startsWith("/")) return new URL(this.endpoint).origin + location;
    try {
      const url = new URL(location);
      return url.origin === new URL(this.endpoint).origin ? url.href : fallback;
    } catch {
      return fallback;
    }
  }

  /** Without `fields`, whole documents. */
  private async lookup(
    path: string,
    ids: readonly string[],
    fields: string | undefined,
    onFound?: (ids: readonly string[]) => void,
  ): Promise<ListedValue[]> {
    const url = this.transport.url(path);
    const chunks = chunkIdsForQuery(ids, this.idsPerLookup, this.maxQueryLength);
    const pages = await mapConcurrent(chunks, this.lookups, async (chunk) => {
      const values = await this.lookupChunk(url, chunk, fields);
      onFound?.(values.map((v) => v.id));
      return values;
    });
    return pages.flat();
  }

  /** One chunk of ids, following pages until `total` values have come back. */
  private async lookupChunk(url: string, chunk: readonly string[], fields: string | undefined): Promise<ListedValue[]> {
    const asked = new Set(chunk);
    const out: ListedValue[] = [];
    let total = Infinity;
    while (out.length < total) {
      const searchParams = new URLSearchParams();
      for (const id of chunk) searchParams.append("id", id);
      if (fields !== undefined) searchParams.set("fields", fields);
      searchParams.set("skip", String(out.length));
      searchParams.set("limit", String(chunk.length));
      const page = listingPage(await this.transport.send("GET", url, { searchParams, accept: [200], pressure: this.lookups }), url);
      for (const value of page.values) {
        // A server that ignored the id filter would hand us the whole tenant: stop rather than trust it.
        if (!asked.has(value.id)) throw new ResponseError("GET", url, `listing returned ${quoted(value.id)}, which was not asked for`);
        out.push(value);
      }
      total = page.total;
      if (total > chunk.length) throw new ResponseError("GET", url, `listing reports ${total} matches for ${chunk.length} ids`);
      if (page.values.length === 0) break;
    }
    return out;
  }
}

// `name` rides along in the lookups planning makes anyway, so the plan can say what each id is at no extra request.
const FACT_FIELDS = "id,name,parentId,resourceTypeId";
const TYPE_FACT_FIELDS = "id,name";

type ListedValue = { id: string; [key: string]: unknown };

/** A ResourceListing / ResourceTypeListing page, checked: values with ids, and a total. */
function listingPage(answer: HttpAnswer, url: string): { values: ListedValue[]; total: number } {
  const body = answer.body as { values?: unknown; total?: unknown } | undefined;
  if (!body || !Array.isArray(body.values) || typeof body.total !== "number") {
    throw new ResponseError("GET", url, "listing without values[] and total");
  }
  for (const value of body.values as { id?: unknown }[]) {
    if (typeof value?.id !== "string") throw new ResponseError("GET", url, "listing value without an id");
  }
  return { values: body.values as ListedValue[], total: body.total };
}

function toFacts(value: ListedValue): ResourceFacts {
  const facts: ResourceFacts = { id: value.id };
  if (typeof value.name === "string") facts.name = value.name;
  if (typeof value.parentId === "string") facts.parentId = value.parentId;
  if (typeof value.resourceTypeId === "string") facts.resourceTypeId = value.resourceTypeId;
  return facts;
}

function toTypeFacts(value: ListedValue): ResourceTypeFacts {
  return typeof value.name === "string" ? { id: value.id, name: value.name } : { id: value.id };
}

function queryParams(query: ResourceQuery): URLSearchParams {
  return new URLSearchParams(resourceQueryPairs(query));
}
