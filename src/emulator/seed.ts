/** A seed world for the emulator: `{ resourceTypes: [...], resources: [...] }`, JSON or YAML. */
import { LineCounter, parseDocument } from "yaml";
import { DecomError, error, fail } from "../diagnostics.js";
import { localDisk } from "../files/disk.js";
import { fileError } from "../files/fs-error.js";
import type { EmulatedEntity } from "./tenant.js";

export interface Seed {
  resourceTypes: EmulatedEntity[];
  resources: EmulatedEntity[];
}

/**
 * The world in `path`, given as `file`; problems name it as `--seed FILE`, and
 * a YAML mistake as a manifest's is: `file:line:column: invalid YAML: why`.
 */
export function readSeedFile(path: string, file = path): Seed {
  const shownAs = `--seed ${file}`;
  let text: string;
  try {
    text = localDisk.readBytes(path).toString("utf8");
  } catch (err) {
    throw fileError("seed.unreadable", shownAs, err);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new DecomError(
      error(`seed.yaml.${first.code}`, `invalid YAML: ${first.message.split("\n")[0]}`, { source: { file, line, column: col } }),
    );
  }
  const data: unknown = doc.toJS();
  // Prose that happens to parse (a README, a note) is a string, not an empty world.
  if (data !== null && data !== undefined && (typeof data !== "object" || Array.isArray(data))) {
    fail("seed.invalid", `${shownAs} is not a world: it needs resources: and resourceTypes: lists (see examples/world.json)`);
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
