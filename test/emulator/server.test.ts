/** The emulator answers as the official contract says, over real HTTP. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { call } from "../helpers/emulator-call.js";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { assertContractValid, responseSchema } from "../helpers/contract.js";
import { world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator }>("emulator: contract behaviour");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({
    seed: world(
      [
        { id: "site", resourceTypeId: "site" },
        { id: "gw", resourceTypeId: "gateway", parentId: "site", customer: "acme", tags: ["lora", "edge"] },
        { id: "dev", resourceTypeId: "sensor", parentId: "gw", customer: "acme", tags: ["lora"] },
      ],
      ["unused"],
    ),
    timing: { startDelayMs: 60, perIdMs: 0 },
  });
});
test.after.each(async ({ emulator }) => emulator.close());

async function finished(emulator: Emulator, uri: string) {
  for (;;) {
    const status = await call(emulator, "GET", uri);
    if (status.body.finishedTime) return status.body;
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("a body that fails the batch schema gets the contract's 400 ErrorResponse", async ({ emulator }) => {
  for (const body of [
    { entity: "resource", action: "dlte", query: { ids: ["dev"] } },
    { entity: "resource", action: "delete", query: { ids: [] } },
    { entity: "resource", action: "delete", query: { ids: ["dev"] }, actionParameters: { cascade: ["everything"] } },
    { entity: "resourcetype", action: "delete", query: { ids: ["unused"] }, actionParameters: { cascade: [] } },
    { entity: "device", action: "delete", query: { ids: ["dev"] } },
    "{not json",
  ]) {
    const answer = await call(emulator, "POST", "/resources/v1/batch", body);
    assert.is(answer.status, 400, JSON.stringify(body));
    assert.is(answer.body.statusCode, 400);
    assert.type(answer.body.error, "string");
  }
  const invalidAction = await call(emulator, "POST", "/resources/v1/batch", {
    entity: "resource",
    action: "dlte",
    query: { ids: ["dev"] },
  });
  assert.match(invalidAction.body.error, "/action <- must be equal to one of the allowed values");
  assert.is(emulator.batches.batches.size, 0, "nothing was queued");
});

test("a batch is accepted with 202 + Location, runs asynchronously, then reports per-id results", async ({ emulator }) => {
  const start = await call(emulator, "POST", "/resources/v1/batch", {
    entity: "resource",
    action: "delete",
    query: { ids: ["gw", "dev", "missing"] },
    actionParameters: { cascade: ["alarms"] },
  });
  assert.is(start.status, 202);
  const location = start.headers.get("location")!;
  assert.match(location, /^\/resources\/v1\/batch\/[0-9a-f-]{36}$/);
  assert.is(start.body.uri, location);
  assert.is(start.body.entity.operation.description, "deleting 3 resources");

  const running = await call(emulator, "GET", location);
  assert.is(running.status, 200);
  assert.is(running.body.finishedTime, undefined, "still running right after the POST");
  assert.is(running.body.results, undefined);

  const done = await finished(emulator, location);
  assert.equal(done.results.success, { dev: { statusCode: 204 } });
  assert.equal(done.results.failure, {
    gw: { statusCode: 400, error: "Resource is still parent of or referenced by 1 resource(s)" },
    missing: { statusCode: 404, error: "No resource with id missing" },
  });
  assert.not.ok(emulator.tenant.resources.has("dev"));
  assert.ok(emulator.tenant.resources.has("gw"), "ids are processed in the order given: gw still had its child");
});

test("a resource type still in use fails with 400; an unused one is deleted", async ({ emulator }) => {
  const start = await call(emulator, "POST", "/resources/v1/batch", {
    entity: "resourcetype",
    action: "delete",
    query: { ids: ["sensor", "unused"] },
  });
  const done = await finished(emulator, start.headers.get("location")!);
  assert.equal(done.results.failure, { sensor: { statusCode: 400, error: "Type in use by 1 resource(s)" } });
  assert.equal(done.results.success, { unused: { statusCode: 204 } });
});

test("stats count an id in two accepted batches of one entity, not the same id of two entities", async ({ emulator }) => {
  await call(emulator, "POST", "/resources/v1/batch", { entity: "resource", action: "delete", query: { ids: ["dev", "gw"] } });
  await call(emulator, "POST", "/resources/v1/batch", { entity: "resourcetype", action: "delete", query: { ids: ["dev"] } });
  assert.is(emulator.stats().idsAcceptedTwice, 0, "dev as a resource and dev as a type are two ids");
  await call(emulator, "POST", "/resources/v1/batch", { entity: "resource", action: "delete", query: { ids: ["site", "dev"] } });
  assert.is(emulator.stats().idsAcceptedTwice, 1);
  assert.is(emulator.stats().idsAccepted, 5);
});

test("an unknown batch id is 404 with an ErrorResponse", async ({ emulator }) => {
  const answer = await call(emulator, "GET", "/resources/v1/batch/nope");
  assert.is(answer.status, 404);
  assert.equal(answer.body, { statusCode: 404, error: "Operation with id 'nope' not found" });
});

test("listing: repeated id, exact filters, paging with total and X-Count, fields", async ({ emulator }) => {
  const byId = await call(emulator, "GET", "/resources/v1/resources?id=dev&id=site&id=nope&fields=id,parentId");
  assert.equal(byId.body, { values: [{ id: "dev", parentId: "gw" }, { id: "site" }], skip: 0, limit: 100, total: 2 });
  assert.is(byId.headers.get("x-count"), "2");
  const paged = await call(emulator, "GET", "/resources/v1/resources?limit=2&skip=1&field=id");
  assert.equal(paged.body, { values: [{ id: "gw" }, { id: "site" }], skip: 1, limit: 2, total: 3 });
  const tagged = await call(emulator, "GET", "/resources/v1/resources?tag=lora&tag=edge&customer=acme&fields=id");
  assert.equal(tagged.body.values, [{ id: "gw" }]);
  const types = await call(emulator, "GET", "/resources/v1/resourcetypes?id=unused&id=sensor&fields=id");
  assert.equal(types.body.values, [{ id: "sensor" }, { id: "unused" }]);
});

test("get, children and DELETE follow the contract", async ({ emulator }) => {
  assert.is((await call(emulator, "GET", "/resources/v1/resources/dev")).body.parentId, "gw");
  assert.equal((await call(emulator, "GET", "/resources/v1/resources/nope")).body, { statusCode: 404, error: "No resource with id nope" });
  assert.equal((await call(emulator, "GET", "/resources/v1/resources/gw/children?fields=id")).body.values, [{ id: "dev" }]);
  const blocked = await call(emulator, "DELETE", "/resources/v1/resources/gw");
  assert.equal([blocked.status, blocked.body.error], [400, "Resource is still parent of or referenced by 1 resource(s)"]);
  assert.is((await call(emulator, "DELETE", "/resources/v1/resources/dev")).status, 204);
  assert.is((await call(emulator, "DELETE", "/resources/v1/resources/dev")).status, 404);
  assert.is((await call(emulator, "DELETE", "/resources/v1/resources/gw")).status, 204);
});

test("the 202 and the batch status answers, running and finished, validate against the official contract", async ({ emulator }) => {
  const start = await call(emulator, "POST", "/resources/v1/batch", {
    entity: "resource",
    action: "delete",
    query: { ids: ["dev", "missing"] },
  });
  assert.is(start.status, 202);
  assertContractValid(responseSchema("BatchStartResponse"), start.body, "the 202 body");

  const running = await call(emulator, "GET", start.body.uri);
  assert.is(running.status, 200);
  assert.is(running.body.finishedTime, undefined, "still running right after the POST");
  assertContractValid(responseSchema("BatchOperationStatusResponse"), running.body, "a running batch's status");

  const done = await finished(emulator, start.body.uri);
  assert.ok(Object.keys(done.results.success).length > 0 && Object.keys(done.results.failure).length > 0, "both result maps are filled");
  // The contract's status response is oneOf [finished, running], but a finished
  // status has every field a running one has, so it matches both and fails the
  // oneOf (the contract's own example does too): check it against its own branch.
  assertContractValid("/components/schemas/BatchOperationResult", done, "a finished batch's status");

  const unknown = await call(emulator, "GET", "/resources/v1/batch/nope");
  assertContractValid(responseSchema("BatchNotFoundResponse"), unknown.body, "the 404 body");
});

test.run();
