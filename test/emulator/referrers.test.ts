/**
 * GET /resources/v1/resources/{id}/referrers, as the contract describes it: a
 * ResourceListing (skip, limit, total, X-Count) of the resources whose metadata
 * holds a Resource Reference (`{"$ref": "/resources/{id}"}`) to it, at any depth
 * (the contract's resourceRef value constraint nests in arrays and objects), and
 * 404 for an unknown id.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { referencedIds } from "../../src/emulator/references.js";
import { assertContractValid } from "../helpers/contract.js";
import { world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator }>("emulator: referrers");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({
    seed: world([
      { id: "site", resourceTypeId: "site" },
      { id: "lonely", resourceTypeId: "site" },
      { id: "a", resourceTypeId: "meter", owner: { $ref: "/resources/site" } },
      { id: "b", resourceTypeId: "meter", location: { $ref: "/resources/site", role: "installed at" } },
      { id: "c", resourceTypeId: "meter", links: [{ nested: { $ref: "/resources/site" } }, { $ref: "/resources/site" }] },
      // Not references: a child (that is /children), a string, a $ref to something that is not a resource.
      { id: "d", resourceTypeId: "meter", parentId: "site", note: "/resources/site", other: { $ref: "/types/site" } },
      { id: "e", resourceTypeId: "meter", odd: { $ref: "/resources/we%20ird" } },
      { id: "we ird", resourceTypeId: "meter" },
    ]),
  });
});
test.after.each(async ({ emulator }) => emulator.close());

async function get(emulator: Emulator, path: string) {
  const response = await fetch(emulator.url + path);
  return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) };
}

test("what is a reference: an object with a string $ref /resources/{id}, at any depth, counted once", () => {
  assert.equal(referencedIds({ id: "c", x: [{ n: { $ref: "/resources/s" } }, { $ref: "/resources/s" }, { $ref: "/resources/t" }] }), [
    "s",
    "t",
  ]);
  assert.equal(referencedIds({ id: "x", a: "/resources/s", b: { $ref: 3 }, c: { $ref: "/resourcetypes/s" }, d: null }), []);
  assert.equal(referencedIds({ id: "x", a: { $ref: "/resources/a%2Fb" } }), ["a/b"]);
});

test("lists the referring resources as a contract ResourceListing, paged, with X-Count", async ({ emulator }) => {
  const all = await get(emulator, "/resources/v1/resources/site/referrers?fields=id");
  assert.is(all.status, 200);
  assert.equal(all.body, { values: [{ id: "a" }, { id: "b" }, { id: "c" }], skip: 0, limit: 100, total: 3 });
  assert.is(all.headers.get("x-count"), "3");
  assertContractValid("/components/schemas/ResourceListing", all.body, "a referrers page");
  const paged = await get(emulator, "/resources/v1/resources/site/referrers?field=id&skip=1&limit=1");
  assert.equal(paged.body, { values: [{ id: "b" }], skip: 1, limit: 1, total: 3 });
  const full = await get(emulator, "/resources/v1/resources/site/referrers?limit=1");
  assert.equal(full.body.values, [{ id: "a", resourceTypeId: "meter", owner: { $ref: "/resources/site" } }]);
  assert.equal((await get(emulator, "/resources/v1/resources/lonely/referrers")).body, { values: [], skip: 0, limit: 100, total: 0 });
  assert.equal((await get(emulator, "/resources/v1/resources/we%20ird/referrers?fields=id")).body.values, [{ id: "e" }]);
});

test("an unknown id is 404, as the contract's ResourceNotFoundResponse", async ({ emulator }) => {
  const missing = await get(emulator, "/resources/v1/resources/nope/referrers");
  assert.equal([missing.status, missing.body], [404, { statusCode: 404, error: "No resource with id nope" }]);
});

test("a referenced resource is not deleted, as the contract's 400 says, until its referrers are gone", async ({ emulator }) => {
  const refused = await fetch(`${emulator.url}/resources/v1/resources/site`, { method: "DELETE" });
  assert.equal(
    [refused.status, await refused.json()],
    [400, { statusCode: 400, error: "Resource is still parent of or referenced by 4 resource(s)" }],
  );
  for (const id of ["a", "b", "c", "d"]) assert.is(emulator.tenant.deleteResource(id).statusCode, 204);
  assert.is(emulator.tenant.deleteResource("site").statusCode, 204);
});

test("a referrer deleted or changed no longer refers", async ({ emulator }) => {
  emulator.tenant.deleteResource("a");
  emulator.tenant.addResource({ id: "b", resourceTypeId: "meter" });
  assert.equal((await get(emulator, "/resources/v1/resources/site/referrers?fields=id")).body.values, [{ id: "c" }]);
});

test.run();
