/**
 * The two create operations, POST /resources/v1/resources and
 * /resources/v1/resourcetypes: 201 with Location and the contract's creation
 * response, 409 for an existing id, 400 for a body the contract refuses. Where
 * the contract is silent, the strictest reading the real service could have, so
 * that what passes here passes there.
 */
import { randomUUID } from "node:crypto";
import { describeSchemaErrors, type SchemaError, validateCreateResourceBody, validateCreateResourceTypeBody } from "../schemas.js";
import type { EmulatedEntity, Tenant } from "./tenant.js";

export type CreateKind = "resource" | "resourcetype";

export type CreateAnswer =
  | { statusCode: 201; location: string; body: { statusCode: 201; uri: string; entity: EmulatedEntity } }
  | { statusCode: 400 | 409; body: { statusCode: 400 | 409; error: string; details?: ValidationDetail[] } };

/** One of the contract's SchemaValidationErrors. */
interface ValidationDetail {
  schemaPath: string;
  keyword: string;
  instancePath: string;
  msgs: string[];
}

const COLLECTION: Record<CreateKind, string> = { resource: "/resources/v1/resources", resourcetype: "/resources/v1/resourcetypes" };

/** Creates the entity `raw` (the request body's text) describes in `tenant`, or says why not. */
export function create(tenant: Tenant, kind: CreateKind, raw: string): CreateAnswer {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return refused(400, "/ <- request body is not valid JSON");
  }
  const validate = kind === "resource" ? validateCreateResourceBody : validateCreateResourceTypeBody;
  if (!validate(body)) return refused(400, describeSchemaErrors(validate.errors), details(validate.errors ?? []));
  // The contract's ids are "System Generated" or "User Provided": without one, the service makes one.
  const fields = body as Record<string, unknown>;
  const entity: EmulatedEntity = { ...fields, id: typeof fields.id === "string" ? fields.id : randomUUID() };
  const problem = kind === "resource" ? resourceProblem(tenant, entity) : typeProblem(entity);
  if (problem) {
    const [instancePath, why] = problem;
    return refused(400, `${instancePath} <- ${why}`, [{ schemaPath: "#", keyword: "emulator", instancePath, msgs: [why] }]);
  }
  // The contract's 409 examples, word for word.
  if (kind === "resource" && tenant.resources.has(entity.id)) return refused(409, `Existing resource entry with id ${entity.id}`);
  if (kind === "resourcetype" && tenant.resourceTypes.has(entity.id)) {
    return refused(409, `Existing ResourceType entry with id ${entity.id}`);
  }
  if (kind === "resource") tenant.addResource(entity);
  else tenant.addResourceType(entity);
  const uri = `${COLLECTION[kind]}/${encodeURIComponent(entity.id)}`;
  return { statusCode: 201, location: uri, body: { statusCode: 201, uri, entity } };
}

/**
 * The contract is silent on each of these; the emulator refuses them, as the
 * real service may. An empty id: the 201's Location must be a URI the entity
 * can be fetched at, and `…/resources/` is the listing. A `resourceTypeId` or
 * `parentId` naming nothing: refusing it makes a restore create types and
 * parents first, which any service accepts. A `$ref` naming nothing is admitted:
 * the contract checks that a referenced resource exists only where a resource
 * constraint's `exists` flag asks for it.
 */
function resourceProblem(tenant: Tenant, entity: EmulatedEntity): Problem | undefined {
  if (entity.id === "") return ["/id", "an empty id has no URI to be fetched at"];
  const { resourceTypeId, parentId } = entity;
  if (typeof resourceTypeId === "string" && !tenant.resourceTypes.has(resourceTypeId)) {
    return ["/resourceTypeId", `no resource type with id ${resourceTypeId}`];
  }
  if (typeof parentId === "string" && !tenant.resources.has(parentId)) return ["/parentId", `no resource with id ${parentId}`];
  return undefined;
}

/**
 * `$bulkOperation` appears only in the service's answers (ResourceTypeWithIdEntity,
 * "an asynchronous operation is busy"), so it is the service's to set. The
 * emulator holds no resource constraints, so any `$constraints` id names one that
 * does not exist.
 */
function typeProblem(entity: EmulatedEntity): Problem | undefined {
  if (entity.id === "") return ["/id", "an empty id has no URI to be fetched at"];
  if ("$bulkOperation" in entity) return ["/$bulkOperation", "is managed by the service"];
  const constraints = (entity.$constraints ?? []) as string[];
  if (constraints.length > 0) return ["/$constraints/0", `no resource constraint with id ${constraints[0]}`];
  return undefined;
}

/** Where in the body (a JSON Pointer) and why. */
type Problem = [instancePath: string, why: string];

function details(errors: readonly SchemaError[]): ValidationDetail[] {
  return errors.map((e) => ({
    schemaPath: e.schemaPath,
    keyword: e.keyword,
    instancePath: e.instancePath || "/",
    msgs: [e.message ?? e.keyword],
  }));
}

function refused(statusCode: 400 | 409, error: string, detail?: ValidationDetail[]): CreateAnswer {
  return { statusCode, body: detail ? { statusCode, error, details: detail } : { statusCode, error } };
}
