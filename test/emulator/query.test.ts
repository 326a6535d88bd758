/**
 * The emulator's `query` parameter, over real HTTP: each operation of the
 * contract (`<key>:<operation>(<arguments>)`), the bare `key:value` equality,
 * and a 400 for whatever the contract does not define.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator }>("emulator: metadata query language");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({
    seed: world([
      { id: "site", resourceTypeId: "site", firmware: "10", address: { city: "Ghent" } },
      {
        id: "gw",
        resourceTypeId: "gateway",
        parentId: "site",
        firmware: "2.0",
        address: { city: "Brussels" },
        owner: { $ref: "/resources/site" },
      },
      { id: "dev-a", resourceTypeId: "sensor", parentId: "gw", firmware: "1.5", name: "thermo-1" },
      { id: "dev-b", resourceTypeId: "sensor", parentId: "gw", firmware: "2.5", name: "thermo-22" },
      // A resource whose parent is literally named "exists": what the bare `parentId:exists` asks for.
      { id: "exists", resourceTypeId: "site" },
      { id: "odd", resourceTypeId: "sensor", parentId: "exists", name: "hygro" },
    ]),
  });
});
test.after.each(async ({ emulator }) => emulator.close());

async function select(emulator: Emulator, query: string): Promise<{ status: number; ids: string[]; error?: string }> {
  const params = new URLSearchParams({ query, fields: "id", limit: "100" });
  const response = await fetch(`${emulator.url}/resources/v1/resources?${params}`);
  const body = (await response.json()) as { values?: { id: string }[]; error?: string };
  return { status: response.status, ids: (body.values ?? []).map((v) => v.id).sort(), ...(body.error ? { error: body.error } : {}) };
}

async function matches(emulator: Emulator, query: string): Promise<string[]> {
  const answer = await select(emulator, query);
  assert.is(answer.status, 200, `${query}: ${answer.error ?? ""}`);
  return answer.ids;
}

test("eq: exact match, dotted keys reach nested attributes", async ({ emulator }) => {
  assert.equal(await matches(emulator, "firmware:eq(2.0)"), ["gw"]);
  assert.equal(await matches(emulator, "address.city:eq(Ghent)"), ["site"]);
  assert.equal(await matches(emulator, "parentId:eq(gw)"), ["dev-a", "dev-b"]);
});

test("in: exact match against a comma-separated list", async ({ emulator }) => {
  assert.equal(await matches(emulator, "resourceTypeId:in(site,gateway)"), ["exists", "gw", "site"]);
  assert.equal(await matches(emulator, "parentId:in(gw,site)"), ["dev-a", "dev-b", "gw"]);
});

test("lt, lte, gt, gte: numbers compare as numbers", async ({ emulator }) => {
  // As text "10" < "2.0"; as numbers it is not.
  assert.equal(await matches(emulator, "firmware:lt(2.0)"), ["dev-a"]);
  assert.equal(await matches(emulator, "firmware:lte(2.0)"), ["dev-a", "gw"]);
  assert.equal(await matches(emulator, "firmware:gt(2.0)"), ["dev-b", "site"]);
  assert.equal(await matches(emulator, "firmware:gte(2.5)"), ["dev-b", "site"]);
});

test("ref: a reference to /resources/<id>", async ({ emulator }) => {
  assert.equal(await matches(emulator, "owner:ref(/resources/site)"), ["gw"]);
  assert.equal(await matches(emulator, "owner:ref(/resources/gw)"), []);
});

test("exists: the key is present; it takes no argument", async ({ emulator }) => {
  assert.equal(await matches(emulator, "parentId:exists()"), ["dev-a", "dev-b", "gw", "odd"]);
  assert.equal(await matches(emulator, "owner:exists()"), ["gw"]);
  const withArgument = await select(emulator, "parentId:exists(gw)");
  assert.is(withArgument.status, 400);
  assert.match(withArgument.error ?? "", "exists takes no argument");
});

test("like: * and ? are wildcards, anything else is literal", async ({ emulator }) => {
  assert.equal(await matches(emulator, "name:like(thermo-?)"), ["dev-a"]);
  assert.equal(await matches(emulator, "name:like(thermo*)"), ["dev-a", "dev-b"]);
  assert.equal(await matches(emulator, "name:like(thermo.1)"), [], "a dot is not a wildcard");
});

test("a bare key:value is an equality: parentId:exists asks for a parent named 'exists'", async ({ emulator }) => {
  assert.equal(await matches(emulator, "parentId:exists"), ["odd"]);
  assert.equal(await matches(emulator, "firmware:2.0"), ["gw"]);
  assert.equal(await matches(emulator, "parentId:gw"), ["dev-a", "dev-b"]);
  assert.equal(await matches(emulator, "resourceTypeId:in"), [], "an operation's name without parentheses is a value");
  assert.equal(await matches(emulator, "owner:/resources/site"), [], "the value is compared as text, not as a reference");
});

test("terms separated by spaces are combined with AND", async ({ emulator }) => {
  assert.equal(await matches(emulator, "resourceTypeId:eq(sensor) firmware:gt(2)"), ["dev-b"]);
  assert.equal(await matches(emulator, "parentId:in(gw,site) name:like(thermo-2*)"), ["dev-b"]);
  assert.equal(await matches(emulator, "parentId:exists resourceTypeId:sensor"), ["odd"]);
});

test("what the contract does not define is a 400, never a guess", async ({ emulator }) => {
  for (const [query, error] of [
    ["firmware:below(2)", "unknown operation 'below'"],
    ["firmware:EQ(2.0)", "unknown operation 'EQ'"],
    ["firmware:eq(2.0", "expected <key>:<operation>(<arguments>) or <key>:<value>"],
    ["firmware:eq(2.0)x", "expected <key>:<operation>(<arguments>) or <key>:<value>"],
    ["firmware:2.(0)", "expected <key>:<operation>(<arguments>) or <key>:<value>"],
    ["firmware:", "expected <key>:<operation>(<arguments>) or <key>:<value>"],
    [":eq(2.0)", "expected <key>:<operation>(<arguments>) or <key>:<value>"],
    ["firmware", "expected <key>:<operation>(<arguments>) or <key>:<value>"],
    ["firmware:eq()", "eq needs an argument"],
    ["parentId:in()", "in needs an argument"],
    ["parentId:in(gw,,site)", "in needs a value between"],
    [" ", "empty query"],
  ] as const) {
    const answer = await select(emulator, query);
    assert.is(answer.status, 400, query);
    assert.match(answer.error ?? "", error, query);
  }
});

test.run();
