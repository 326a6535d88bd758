/** A seed world for the emulator: `{ resourceTypes: [...], resources: [...] }`, JSON or YAML. */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { fail } from "../diagnostics.js";
import { fileError } from "../files/fs-error.js";
import type { EmulatedEntity } from "./tenant.js";

export interface Seed {
  resourceTypes: EmulatedEntity[];
  resources: EmulatedEntity[];
}

/** The world in `path`; problems name it as `shownAs` (`--seed world.json`). */
export function readSeedFile(path: string, shownAs = path): Seed {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw fileError("seed.unreadable", shownAs, err);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    return fail("seed.unreadable", `${shownAs}: ${(err as Error).message.split("\n")[0]}`);
  }
  return checkSeed(data, shownAs);
}

export function checkSeed(data: unknown, origin: string): Seed {
  const seed = (data ?? {}) as Partial<Record<keyof Seed, unknown>>;
  return {
    resourceTypes: entities(seed.resourceTypes, `${origin}: resourceTypes`),
    resources: entities(seed.resources, `${origin}: resources`),
  };
}

function entities(value: unknown, where: string): EmulatedEntity[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail("seed.invalid", `${where} must be a list`);
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== "string" || id === "") fail("seed.invalid", `${where}[${index}] needs a string id`);
    if (seen.has(id)) fail("seed.invalid", `${where}[${index}]: duplicate id "${id}"`);
    seen.add(id);
    return item as EmulatedEntity;
  });
}

/**
 * A synthetic world for benchmarks: `count` resources `device-0000001`… of type
 * `device`, tagged `retired`, customer `acme`, no parents.
 */
export function syntheticSeed(count: number): Seed {
  const width = Math.max(7, String(count).length);
  const resources: EmulatedEntity[] = new Array(count);
  for (let i = 0; i < count; i++) {
    resources[i] = { id: `device-${String(i + 1).padStart(width, "0")}`, resourceTypeId: "device", customer: "acme", tags: ["retired"] };
  }
  return { resourceTypes: [{ id: "device", name: "Device" }], resources };
}
