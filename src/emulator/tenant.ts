/**
 * The emulated tenant's data: resources and resource types, with the indexes
 * the real service answers from (children by parentId, resources by type), so
 * deletions fail exactly when the contract says they do.
 */

import { compareStrings } from "../text/compare.js";
import { referencedIds } from "./references.js";

export interface EmulatedEntity {
  id: string;
  [attribute: string]: unknown;
}

export interface DeleteOutcome {
  statusCode: number;
  error?: string;
}

export class Tenant {
  readonly resources = new Map<string, EmulatedEntity>();
  readonly resourceTypes = new Map<string, EmulatedEntity>();
  private readonly childrenOf = new Map<string, Set<string>>();
  private readonly resourcesOfType = new Map<string, Set<string>>();
  private readonly referrersOf = new Map<string, Set<string>>();
  private sortedResourceIds: string[] | null = null;
  private sortedTypeIds: string[] | null = null;
  /** Bumped by every change: what was computed from the tenant at one version holds until the next. */
  version = 0;

  addResourceType(type: EmulatedEntity): void {
    this.resourceTypes.set(type.id, { ...type });
    this.sortedTypeIds = null;
    this.version++;
  }

  addResource(resource: EmulatedEntity): void {
    if (this.resources.has(resource.id)) this.unindex(this.resources.get(resource.id) as EmulatedEntity);
    this.resources.set(resource.id, { ...resource });
    if (typeof resource.parentId === "string") indexAdd(this.childrenOf, resource.parentId, resource.id);
    if (typeof resource.resourceTypeId === "string") indexAdd(this.resourcesOfType, resource.resourceTypeId, resource.id);
    for (const target of referencedIds(resource)) indexAdd(this.referrersOf, target, resource.id);
    this.sortedResourceIds = null;
    this.version++;
  }

  childIds(id: string): string[] {
    return [...(this.childrenOf.get(id) ?? [])].sort(compareStrings);
  }

  /** Resources whose metadata holds a reference to `id` (see references.ts). */
  referrerIds(id: string): string[] {
    return [...(this.referrersOf.get(id) ?? [])].sort(compareStrings);
  }

  resourceIdsOfType(typeId: string): string[] {
    return [...(this.resourcesOfType.get(typeId) ?? [])].sort(compareStrings);
  }

  /** DELETE /resources/v1/resources/{id}, and one id of a resource batch. */
  deleteResource(id: string): DeleteOutcome {
    const resource = this.resources.get(id);
    if (!resource) return { statusCode: 404, error: `No resource with id ${id}` };
    // Children and referrers both hold it, as the contract's 400 says; a reference to itself does not.
    const referrers = [...(this.referrersOf.get(id) ?? [])].filter((referrer) => referrer !== id).length;
    const holders = (this.childrenOf.get(id)?.size ?? 0) + referrers;
    if (holders > 0) return { statusCode: 400, error: `Resource is still parent of or referenced by ${holders} resource(s)` };
    this.unindex(resource);
    this.resources.delete(id);
    this.sortedResourceIds = null;
    this.version++;
    return { statusCode: 204 };
  }

  /** DELETE /resources/v1/resourcetypes/{id}, and one id of a resource type batch. */
  deleteResourceType(id: string): DeleteOutcome {
    if (!this.resourceTypes.has(id)) return { statusCode: 404, error: `No type with id ${id}` };
    const users = this.resourcesOfType.get(id)?.size ?? 0;
    if (users > 0) return { statusCode: 400, error: `Type in use by ${users} resource(s)` };
    this.resourceTypes.delete(id);
    this.sortedTypeIds = null;
    this.version++;
    return { statusCode: 204 };
  }

  /** All resource ids in the listing's default order (by id). */
  resourceIdsSorted(): string[] {
    this.sortedResourceIds ??= [...this.resources.keys()].sort(compareStrings);
    return this.sortedResourceIds;
  }

  resourceTypeIdsSorted(): string[] {
    this.sortedTypeIds ??= [...this.resourceTypes.keys()].sort(compareStrings);
    return this.sortedTypeIds;
  }

  private unindex(resource: EmulatedEntity): void {
    if (typeof resource.parentId === "string") indexRemove(this.childrenOf, resource.parentId, resource.id);
    if (typeof resource.resourceTypeId === "string") indexRemove(this.resourcesOfType, resource.resourceTypeId, resource.id);
    for (const target of referencedIds(resource)) indexRemove(this.referrersOf, target, resource.id);
  }
}

function indexAdd(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(id);
}

function indexRemove(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  set?.delete(id);
  if (set && set.size === 0) index.delete(key);
}
