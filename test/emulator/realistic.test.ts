/**
 * The benchmark's tenant-like world (`decom emulator --generate-realistic N`):
 * gateway → 20 devices → 5 sensors each, two resource types per level, 2 % of
 * the resources referred to from below them, about 1 KB of metadata per
 * document, the same world for the same count.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DEVICES_PER_GATEWAY, REALISTIC_TYPES, SENSORS_PER_DEVICE, realisticSeed, type Level } from "../../src/emulator/realistic.js";
import { referencedIds } from "../../src/emulator/references.js";
import { startEmulator } from "../../src/emulator/server.js";
import { Tenant, type EmulatedEntity } from "../../src/emulator/tenant.js";
import { assertContractValid } from "../helpers/contract.js";

const test = suite("emulator: realistic world");

/** 100 whole gateway subtrees: 100 gateways, 2,000 devices, 10,000 sensors. */
const COUNT = 100 * (1 + DEVICES_PER_GATEWAY * (1 + SENSORS_PER_DEVICE));
const seed = realisticSeed(COUNT);
const tenant = new Tenant();
for (const t of seed.resourceTypes) tenant.addResourceType(t);
for (const r of seed.resources) tenant.addResource(r);
const byId = new Map(seed.resources.map((r) => [r.id, r]));

function levelOf(resource: EmulatedEntity): Level {
  const level = (Object.keys(REALISTIC_TYPES) as Level[]).find((l) =>
    (REALISTIC_TYPES[l] as readonly string[]).includes(resource.resourceTypeId as string),
  );
  if (!level) throw new Error(`${resource.id} has type ${String(resource.resourceTypeId)}, of no level`);
  return level;
}

function ancestors(resource: EmulatedEntity): string[] {
  const up: string[] = [];
  for (let p = resource.parentId as string | undefined; p !== undefined; p = byId.get(p)?.parentId as string | undefined) up.push(p);
  return up;
}

test("exactly N resources, cut short inside the last subtree when N ends there", () => {
  assert.is(seed.resources.length, COUNT);
  assert.is(new Set(seed.resources.map((r) => r.id)).size, COUNT);
  assert.is(realisticSeed(1000).resources.length, 1000);
  assert.is(realisticSeed(0).resources.length, 0);
});

test("three levels, 1 : 20 : 5: each gateway has 20 devices, each device 5 sensors, sensors none", () => {
  const counts = { gateway: 0, device: 0, sensor: 0 };
  for (const r of seed.resources) {
    const level = levelOf(r);
    counts[level]++;
    const children = tenant.childIds(r.id);
    if (level === "gateway") {
      assert.is(r.parentId, undefined);
      assert.is(children.length, DEVICES_PER_GATEWAY);
      for (const c of children) assert.is(levelOf(byId.get(c)!), "device");
    } else if (level === "device") {
      assert.is(levelOf(byId.get(r.parentId as string)!), "gateway");
      assert.is(children.length, SENSORS_PER_DEVICE);
      for (const c of children) assert.is(levelOf(byId.get(c)!), "sensor");
    } else {
      assert.is(levelOf(byId.get(r.parentId as string)!), "device");
      assert.is(children.length, 0);
    }
  }
  assert.equal(counts, { gateway: 100, device: 2000, sensor: 10_000 });
});

test("six resource types, two per level, all in use; a legacy resource has only legacy resources below it", () => {
  assert.equal(
    seed.resourceTypes.map((t) => t.id),
    Object.values(REALISTIC_TYPES).flat(),
  );
  for (const type of seed.resourceTypes) assert.ok(tenant.resourceIdsOfType(type.id).length > 0, `no resource of type ${type.id}`);
  const legacy = new Set(Object.values(REALISTIC_TYPES).map(([, l]) => l as string));
  for (const r of seed.resources) {
    const parent = byId.get(r.parentId as string);
    if (parent && legacy.has(parent.resourceTypeId as string))
      assert.ok(legacy.has(r.resourceTypeId as string), `${r.id} under ${parent.id}`);
  }
  // Legacy sensors are exactly those of legacy devices, so deleting a legacy type never strands a child.
  for (const r of seed.resources)
    if (levelOf(r) === "sensor")
      assert.is(legacy.has(r.resourceTypeId as string), legacy.has(byId.get(r.parentId as string)!.resourceTypeId as string));
});

test("2 % of the resources are referred to, each by a resource below it, as the referrers endpoint sees it", async () => {
  const referenced = new Set<string>();
  for (const r of seed.resources) {
    for (const target of referencedIds(r)) {
      referenced.add(target);
      assert.ok(ancestors(r).includes(target), `${r.id} refers to ${target}, which is not above it`);
    }
  }
  assert.is(referenced.size, Math.round(COUNT * 0.02));
  const target = [...referenced][0]!;
  const referrers = tenant.referrerIds(target);
  assert.ok(referrers.length > 0);
  const emulator = await startEmulator({ seed });
  try {
    const page = (await (
      await fetch(`${emulator.url}/resources/v1/resources/${encodeURIComponent(target)}/referrers?fields=id`)
    ).json()) as {
      values: { id: string }[];
    };
    assert.equal(
      page.values.map((v) => v.id),
      referrers,
    );
  } finally {
    await emulator.close();
  }
});

test("documents hold about 1 KB of metadata: nested objects, arrays, tags; contract-valid", () => {
  const sizes = seed.resources.map((r) => JSON.stringify(r).length);
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  assert.ok(mean >= 900 && mean <= 1200, `mean document size ${mean} bytes`);
  for (const r of seed.resources.slice(0, 200)) {
    assert.ok(Array.isArray(r.tags) && r.tags.length >= 3, `${r.id} tags`);
    assert.type((r.location as { lat?: unknown }).lat, "number");
    assert.ok(Array.isArray(r.maintenance));
    assertContractValid("/components/schemas/ResourceEntity", r, r.id);
  }
});

test("the same count gives the same world; another seed another", () => {
  assert.equal(realisticSeed(2000), realisticSeed(2000));
  assert.not.equal(realisticSeed(2000, 1).resources, realisticSeed(2000, 2).resources);
});

test.run();
