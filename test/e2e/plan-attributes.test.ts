/**
 * A reviewer sees what each id is: every deletion of a resource carries its
 * name, type and parent, and a resource type its name, from the lookups the
 * plan makes anyway. Text, markdown and --json show them; a hostile name is
 * escaped like an id; a resource without a name or parent shows none.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readSeedFile } from "../../src/emulator/seed.js";
import type { Plan } from "../../src/plan/model.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { readJsonFile } from "../helpers/json-file.js";
import { assertValid } from "../helpers/schemas.js";

const test = suite("e2e: what each id is");

const HOSTILE_NAME = 'Boiler\r  - resource "prod-db"\u001b[2K\u202e';

const hasRawControl = (text: string) => ["\r", "\u001b", "\u202e"].some((c) => text.includes(c));

const SEED = {
  resourceTypes: [
    { id: "legacy-thermostat", name: "Thermostat (firmware 1.x)" },
    { id: "meter", name: "Energy meter" },
    { id: "gateway" },
    { id: "spare" },
  ],
  resources: [
    { id: "gw-7", name: "Gateway 7", resourceTypeId: "gateway" },
    { id: "thermostat-0042", name: "Kitchen thermostat", resourceTypeId: "legacy-thermostat", parentId: "gw-7", customer: "acme" },
    { id: "thermostat-0043", resourceTypeId: "legacy-thermostat" },
    { id: "boiler-1", name: HOSTILE_NAME, resourceTypeId: "meter", parentId: "gw-7" },
    { id: "bare-1" },
  ],
};
const MANIFEST = manifestYaml(["thermostat-0042", "thermostat-0043", "boiler-1", "bare-1"], ["legacy-thermostat", "spare"]);

test("plan text, markdown and --json say each deletion's name, type and parent, with the same requests as before", async () => {
  return withEmulator({ seed: SEED }, { "decom.yaml": MANIFEST }, async ({ emulator, dir }) => {
    const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    // Lookups of 4 ids and 2 types, one listing of resources with a parent, one count of the types' users.
    assert.is(emulator.requests.length, 4, emulator.requests.map((r) => r.path + r.search).join("\n"));
    const lines = plan.stdout.split("\n");
    const lineOf = (id: string) => lines.find((l) => l.includes(`resource "${id}"`)) ?? "";
    assert.match(lineOf("thermostat-0042"), 'name "Kitchen thermostat", type "legacy-thermostat", parent "gw-7"; no cascade');
    assert.match(lineOf("thermostat-0043"), /"thermostat-0043"\s+type "legacy-thermostat"; no cascade$/);
    assert.match(lineOf("bare-1"), /"bare-1"\s+no cascade$/);
    assert.match(lineOf("boiler-1"), String.raw`name "Boiler\r  - resource \"prod-db\"\u001b[2K\u202e", type "meter", parent "gw-7"`);
    assert.match(plan.stdout, /resourceType "legacy-thermostat"\s+name "Thermostat \(firmware 1\.x\)"\n/);
    assert.match(plan.stdout, /resourceType "spare"\n/);
    assert.not.ok(hasRawControl(plan.stdout), "the name's controls are escaped");

    const saved = readJsonFile(join(dir, "plan.json")) as Plan;
    const change = (id: string) => saved.changes.find((c) => c.id === id);
    assert.equal(
      {
        name: change("thermostat-0042")?.name,
        type: change("thermostat-0042")?.resourceTypeId,
        parent: change("thermostat-0042")?.parentId,
      },
      { name: "Kitchen thermostat", type: "legacy-thermostat", parent: "gw-7" },
    );
    assert.equal(Object.keys(change("bare-1") ?? {}).sort(), ["action", "cascade", "entry", "id", "kind", "reason"]);
    assert.is(change("boiler-1")?.name, HOSTILE_NAME, "the plan file keeps the name as the tenant gave it");
    assert.is(change("legacy-thermostat")?.name, "Thermostat (firmware 1.x)");

    const md = (await decom(["show", "plan.json", "--format", "markdown"], { cwd: dir })).stdout;
    assert.match(md, 'Deletions by resource type: 2 × `"legacy-thermostat"`, 1 × `"meter"`, 1 without a type');
    assert.ok(md.indexOf("Deletions by resource type") < md.indexOf("<details>"), "the counts come before the lists");
    assert.match(md, '"thermostat-0042"  name "Kitchen thermostat", type "legacy-thermostat", parent "gw-7"; cascade: none');
    assert.match(md, '"legacy-thermostat"  name "Thermostat (firmware 1.x)"');
    assert.not.ok(hasRawControl(md), "the name's controls are escaped");

    const json = await decom(["plan", "--json"], { cwd: dir, endpoint: emulator.url });
    const changes = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.type === "planned_change");
    for (const line of changes) assertValid("events", line, "planned_change");
    const byId = new Map(changes.map((c) => [c.id, c]));
    assert.is(byId.get("thermostat-0042")?.name, "Kitchen thermostat");
    assert.is(byId.get("thermostat-0042")?.resourceTypeId, "legacy-thermostat");
    assert.is(byId.get("thermostat-0042")?.parentId, "gw-7");
    assert.is(byId.get("boiler-1")?.name, HOSTILE_NAME);
    assert.is(byId.get("legacy-thermostat")?.name, "Thermostat (firmware 1.x)");
    assert.not.ok("name" in (byId.get("bare-1") ?? {}) || "parentId" in (byId.get("thermostat-0043") ?? {}));
  });
});

test("the demo's plan text, markdown and --json say the name, type and parent of every deletion", async () => {
  const examples = new URL("../../examples/", import.meta.url).pathname;
  const seed = readSeedFile(join(examples, "world.json"));
  const manifest = readFileSync(join(examples, "decom.yaml"), "utf8");
  return withEmulator({ seed }, { "decom.yaml": manifest }, async ({ emulator, dir }) => {
    const text = (await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url })).stdout;
    const md = (await decom(["show", "plan.json", "--format", "markdown"], { cwd: dir })).stdout;
    const json = (await decom(["plan", "--json"], { cwd: dir, endpoint: emulator.url })).stdout;
    const planned = new Map(
      json
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.type === "planned_change")
        .map((l) => [`${l.kind}:${l.id}`, l]),
    );
    const deletions = (readJsonFile(join(dir, "plan.json")) as Plan).changes.filter((c) => c.action === "delete");
    assert.ok(deletions.length > 100, `${deletions.length} deletions`);
    const resources = new Map(seed.resources.map((r) => [r.id, r]));
    const types = new Map(seed.resourceTypes.map((t) => [t.id, t]));
    let withParent = 0;
    for (const c of deletions) {
      // What the world holds, written independently of the views.
      const held = (c.kind === "resource" ? resources : types).get(c.id)!;
      const said = [`name "${held.name}"`];
      if (held.resourceTypeId) said.push(`type "${held.resourceTypeId}"`);
      if (held.parentId) said.push(`parent "${held.parentId}"`);
      if (held.parentId) withParent++;
      const expected = said.join(", ");
      assert.match(text, new RegExp(`- ${c.kind} "${c.id}" +${expected.replace(/[()]/g, "\\$&")}(;|\n)`));
      assert.match(md, `"${c.id}"  ${expected}`);
      const line = planned.get(`${c.kind}:${c.id}`)!;
      assert.equal([line.name, line.resourceTypeId, line.parentId], [held.name, held.resourceTypeId, held.parentId]);
    }
    assert.ok(withParent > 100, `${withParent} with a parent`);
  });
});

test.run();
