/**
 * A world that looks like a real tenant, for the benchmark: gateways, 20
 * devices under each, 5 sensors under each device; two resource types per
 * level (one of them legacy); 2 % of the resources referred to by another; about
 * 1 KB of metadata per document. Seeded, so the same count gives the same world.
 *
 * A reference always points from a resource to one of its ancestors (a sensor
 * to the device it is calibrated against, a device or sensor to its gateway's
 * uplink), so deleting a whole subtree deletes every referrer of what it deletes,
 * and each referrer sits below what it refers to.
 */
import { mulberry32 } from "./faults.js";
import type { Seed } from "./seed.js";
import type { EmulatedEntity } from "./tenant.js";

export const DEVICES_PER_GATEWAY = 20;
export const SENSORS_PER_DEVICE = 5;
/** Share of the resources that another resource refers to. */
export const REFERENCED_SHARE = 0.02;
/** Share of gateways of the legacy type; a legacy gateway's devices and sensors are all legacy. */
export const LEGACY_GATEWAY_SHARE = 0.25;
/** Share of a modern gateway's devices of the legacy type; a legacy device's sensors are legacy. */
export const LEGACY_DEVICE_SHARE = 0.1;

/** The two resource types of each level: [modern, legacy]. */
export const REALISTIC_TYPES = {
  gateway: ["gateway", "gateway-legacy"],
  device: ["thermostat", "meter-legacy"],
  sensor: ["temperature-sensor", "probe-legacy"],
} as const;

export type Level = keyof typeof REALISTIC_TYPES;

interface Node {
  id: string;
  level: Level;
  legacy: boolean;
  parent: number | undefined;
  /** Index of its gateway. */
  gateway: number;
  /** Indexes of the resources below it, in the order generated. */
  below: number[];
}

/** `count` resources, gateway by gateway (the last subtree cut short when `count` ends inside it). */
export function realisticSeed(count: number, seed = 14): Seed {
  const random = mulberry32(seed);
  const nodes = skeleton(count, random);
  const refersTo = references(nodes, count, random);
  const resources: EmulatedEntity[] = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) resources[i] = document(nodes, i, refersTo.get(i), random);
  const resourceTypes = Object.values(REALISTIC_TYPES).flatMap(([modern, legacy]) => [
    { id: modern, name: title(modern) },
    { id: legacy, name: title(legacy) },
  ]);
  return { resourceTypes, resources };
}

function skeleton(count: number, random: () => number): Node[] {
  const nodes: Node[] = [];
  const add = (node: Omit<Node, "below">): number => {
    const index = nodes.length;
    nodes.push({ ...node, below: [] });
    for (let up = node.parent; up !== undefined; up = nodes[up]!.parent) nodes[up]!.below.push(index);
    return index;
  };
  for (let g = 1; nodes.length < count; g++) {
    const gatewayLegacy = random() < LEGACY_GATEWAY_SHARE;
    const gid = `gw-${pad(g, 6)}`;
    const gateway = add({ id: gid, level: "gateway", legacy: gatewayLegacy, parent: undefined, gateway: nodes.length });
    for (let d = 1; d <= DEVICES_PER_GATEWAY && nodes.length < count; d++) {
      const legacy = gatewayLegacy || random() < LEGACY_DEVICE_SHARE;
      const did = `${gid}.dev-${pad(d, 2)}`;
      const device = add({ id: did, level: "device", legacy, parent: gateway, gateway });
      for (let s = 1; s <= SENSORS_PER_DEVICE && nodes.length < count; s++) {
        add({ id: `${did}.sen-${s}`, level: "sensor", legacy, parent: device, gateway });
      }
    }
  }
  return nodes;
}

/**
 * Exactly round(2 % of count) resources referred to, chosen evenly at random
 * (selection sampling) among those with something below them; each gets one
 * referrer, drawn from below it. Referrer index → the indexes it refers to.
 */
function references(nodes: readonly Node[], count: number, random: () => number): Map<number, number[]> {
  const candidates = nodes.map((n, i) => (n.below.length > 0 ? i : -1)).filter((i) => i >= 0);
  let wanted = Math.min(Math.round(count * REFERENCED_SHARE), candidates.length);
  const refersTo = new Map<number, number[]>();
  for (let k = 0; k < candidates.length && wanted > 0; k++) {
    if (random() * (candidates.length - k) >= wanted) continue;
    wanted--;
    const target = candidates[k]!;
    const below = nodes[target]!.below;
    const referrer = below[Math.floor(random() * below.length)]!;
    let list = refersTo.get(referrer);
    if (!list) refersTo.set(referrer, (list = []));
    list.push(target);
  }
  return refersTo;
}

const PROVIDERS = ["lora", "nb-iot", "lte-m", "wifi"];
const REGIONS = ["eu-west", "eu-central", "us-east", "ap-south"];
const TECHNICIANS = ["a.janssens", "b.peeters", "c.maes", "d.jacobs", "e.mertens"];
/** Days from 2019-01-01 on, as YYYY-MM-DD: formatting a date per document would cost more than the rest of it. */
const DAYS = Array.from({ length: 3000 }, (_, d) => new Date(Date.UTC(2019, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const NOTES = ["battery replaced", "firmware upgraded over the air", "antenna realigned", "enclosure resealed", "recalibrated on site"];

/** About 1 KB of metadata: nested objects, arrays, tags, and the references the resource holds. */
function document(nodes: readonly Node[], i: number, refersTo: number[] | undefined, random: () => number): EmulatedEntity {
  const node = nodes[i]!;
  const [modern, legacy] = REALISTIC_TYPES[node.level];
  const gatewayNumber = Number(nodes[node.gateway]!.id.slice(3));
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const day = (within: number) => DAYS[Math.floor(random() * within)]!;
  const entity: EmulatedEntity = {
    id: node.id,
    name: `${title(node.legacy ? legacy : modern)} ${node.id}`,
    resourceTypeId: node.legacy ? legacy : modern,
    ...(node.parent !== undefined ? { parentId: nodes[node.parent]!.id } : {}),
    customer: `customer-${pad(gatewayNumber % 40, 2)}`,
    provider: pick(PROVIDERS),
    tags: [node.level, `site-${pad(gatewayNumber, 6)}`, pick(REGIONS), ...(node.legacy ? ["legacy"] : [])],
    serialNumber: `SN-${hex(random)}${hex(random)}`,
    hardwareRevision: `rev-${pick(["A", "B", "C", "D"])}`,
    location: {
      lat: round(50 + random() * 2, 5),
      lon: round(3 + random() * 3, 5),
      site: `site-${pad(gatewayNumber, 6)}`,
      building: `B${1 + Math.floor(random() * 9)}`,
      floor: Math.floor(random() * 12),
      room: `${100 + Math.floor(random() * 900)}`,
    },
    firmware: `${1 + Math.floor(random() * 4)}.${Math.floor(random() * 10)}.${Math.floor(random() * 30)}`,
    updates: {
      channel: pick(["stable", "beta"]),
      updatedAt: day(2000),
      window: { from: "02:00", to: "04:00", timezone: "Europe/Brussels" },
    },
    config: {
      sampleIntervalSeconds: pick([10, 30, 60, 300]),
      reportIntervalSeconds: pick([60, 300, 900]),
      thresholds: { low: round(random() * 10, 1), high: round(20 + random() * 15, 1), unit: pick(["°C", "%RH", "kWh"]) },
      alarms: { enabled: random() < 0.8, escalateAfterMinutes: pick([5, 15, 60]), notify: ["ops@example.com", "noc@example.com"] },
    },
    maintenance: [0, 1].map(() => ({
      date: day(2000),
      technician: pick(TECHNICIANS),
      ticket: `INC-${Math.floor(random() * 1e6)}`,
      note: pick(NOTES),
    })),
    lifecycle: { installedAt: day(1500), warrantyUntil: day(3000), state: node.legacy ? "retiring" : "active" },
  };
  if (refersTo) {
    entity.links = refersTo.map((target) => ({
      rel: nodes[target]!.level === "gateway" ? "uplink" : "calibratedBy",
      resource: { $ref: `/resources/${encodeURIComponent(nodes[target]!.id)}` },
    }));
  }
  return entity;
}

function hex(random: () => number): string {
  return Math.floor(random() * 2 ** 32)
    .toString(16)
    .padStart(8, "0");
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

function title(typeId: string): string {
  return typeId
    .split("-")
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}
