/**
 * What the referrers endpoint answers from: a Resource Reference is an object
 * whose `$ref` is a string `/resources/{resourceId}` (the contract's
 * ResourceReference). It may sit at any depth of a resource's metadata, since
 * the contract's resourceRef value constraint nests in array elements and
 * object attributes. A `parentId` is not one: children are their own listing.
 */

const PREFIX = "/resources/";

/** The ids `entity` refers to, each once, in the order first met. */
export function referencedIds(entity: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && ref.startsWith(PREFIX) && ref.length > PREFIX.length) found.add(decoded(ref.slice(PREFIX.length)));
    for (const inner of Object.values(value)) visit(inner);
  };
  for (const [key, value] of Object.entries(entity)) if (key !== "id") visit(value);
  return [...found];
}

/** The contract's `$ref` is a URI reference: its id is percent-encoded, or plain when it cannot be decoded. */
function decoded(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
