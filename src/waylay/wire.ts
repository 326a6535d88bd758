/** Shapes from the official Waylay Resources OpenAPI 8.5.0 that decom sends or reads. */

/** The cascade a resource deletion may ask for (the batch's `actionParameters.cascade`). */
export const CASCADE_OPTIONS = ["alarms", "measurements", "tasks"] as const;
export type CascadeOption = (typeof CASCADE_OPTIONS)[number];

/** components.schemas.BatchResourceDeleteOperation */
export interface ResourceDeleteBatch {
  entity: "resource";
  action: "delete";
  query: { ids: string[] };
  actionParameters?: { cascade: CascadeOption[] };
}

/** components.schemas.BatchResourceTypeDeleteOperation */
export interface ResourceTypeDeleteBatch {
  entity: "resourcetype";
  action: "delete";
  query: { ids: string[] };
}

export type DeleteBatchBody = ResourceDeleteBatch | ResourceTypeDeleteBatch;

/** Exact-match parameters of GET /resources/v1/resources (list_resources). */
export interface ResourceQuery {
  resourceTypeId?: string;
  /** Repeated `tag` parameter: resources carrying every tag. */
  tags?: string[];
  customer?: string;
  provider?: string;
  /** The metadata query language, e.g. `parentId:in(a,b)`. */
  query?: string;
}

/** A query's URL parameters, in the order the client sends them (`tags` become repeated `tag`). */
export function resourceQueryPairs(query: ResourceQuery): [string, string][] {
  const pairs: [string, string][] = [];
  if (query.resourceTypeId !== undefined) pairs.push(["resourceTypeId", query.resourceTypeId]);
  for (const tag of query.tags ?? []) pairs.push(["tag", tag]);
  if (query.customer !== undefined) pairs.push(["customer", query.customer]);
  if (query.provider !== undefined) pairs.push(["provider", query.provider]);
  if (query.query !== undefined) pairs.push(["query", query.query]);
  return pairs;
}

/** The subset of ResourceWithIdEntity that planning needs, and the `name` a reviewer reads. */
export interface ResourceFacts {
  id: string;
  name?: string;
  parentId?: string;
  resourceTypeId?: string;
}

/** The subset of ResourceTypeWithIdEntity a plan shows. */
export interface ResourceTypeFacts {
  id: string;
  name?: string;
}

/** BatchStartResponse (202): where to follow the batch. */
export interface BatchAccepted {
  batchId: string;
  /** Absolute URL of GET /resources/v1/batch/{batchId}. */
  statusUrl: string;
  queueTime?: string;
}

/** One id's outcome from OperationResultObject.results. */
export interface BatchIdResult {
  ok: boolean;
  /** `NaN` when the server sent something that is not a status code. */
  statusCode: number;
  error?: string;
}

/** BatchOperationStatusResponse: BatchRunningResourceOperation, or BatchOperationResult once finished. */
export interface BatchStatus {
  batchId: string;
  queueTime?: string;
  finishedTime?: string;
  /** Present once the batch has finished. */
  results?: Map<string, BatchIdResult>;
}
