/** Small emulator worlds for tests. */
import type { Seed } from "../../src/emulator/seed.js";
import type { EmulatedEntity } from "../../src/emulator/tenant.js";

export function world(resources: EmulatedEntity[], resourceTypes: string[] = []): Seed {
  const types = new Set(resourceTypes);
  for (const r of resources) if (typeof r.resourceTypeId === "string") types.add(r.resourceTypeId);
  return { resources, resourceTypes: [...types].map((id) => ({ id, name: id })) };
}

/** `n` resources `prefix-0001`… of one type. */
export function devices(prefix: string, n: number, resourceTypeId = "device", extra: Partial<EmulatedEntity> = {}): EmulatedEntity[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${String(i + 1).padStart(4, "0")}`, resourceTypeId, ...extra }));
}
