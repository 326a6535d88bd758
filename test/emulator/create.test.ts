/**
 * The two official create operations, over real HTTP: as strict as the contract
 * (its request schemas checked against the contract itself), never more lenient.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { call } from "../helpers/emulator-call.js";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { assertContractValid, contractAdmits, responseSchema } from "../helpers/contract.js";

const RESOURCE_BODY = "/components/schemas/ResourceEntity";
const TYPE_BODY = "/components/schemas/ResourceTypeWithConstraints";
const RESOURCES = "/resources/v1/resources";
const TYPES = "/resources/v1/resourcetypes";

/** Documents with every kind of field the contract names, and custom metadata of every JSON shape. */
const thermostat = {
  id: "thermostat",
  name: "Thermostat",
  icon: "https://example.invalid/t.png",
  templates: [{ templateName: "CheckThreshold", type: "reactive", diagnosticTemplate: null, parallel: true }],
  metrics: [{ name: "temperature", valueType: "double", metricType: "gauge", unit: "°C", minimum: -40, maximum: 85.5 }],
  sensors: [{ name: "events", sensor: { name: "GoogleCalendarStreamSensor", version: "0.1.5", properties: { timeout: 15 } } }],
  vendor: { name: "Acme", support: ["mail", "phone"] },
};
const site = { id: "site", name: "Site", customer: "acme", location: { lat: 51.2, lon: -3.37 }, tags: [] };
const room = {
  id: "room 1/ä",
  resourceTypeId: "thermostat",
  parentId: "site",
  name: "Room 1",
  alias: "r1",
  lastMessageTimestamp: 1663269720694,
  owner: "ops",
  provider: "LoRA",
  providerId: "p-1",
  customer: "acme",
  firmware: "1.2",
  tags: ["lora", "edge"],
  feeds: { $ref: "/resources/site", role: "power" },
  calibration: { offsets: [0.5, -0.25, { at: "2024-01-01", by: null }], nested: { deeper: { deepest: true } } },
  note: "",
  count: 0,
};

const test = suite<{ emulator: Emulator }>("emulator: create operations");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed: { resourceTypes: [thermostat], resources: [site, room] } });
});
test.after.each(async ({ emulator }) => emulator.close());

const at = (collection: string, id: string) => `${collection}/${encodeURIComponent(id)}`;

async function listed(emulator: Emulator, collection: string, id: string) {
  const answer = await call(emulator, "GET", `${collection}?id=${encodeURIComponent(id)}`);
  assert.is(answer.body.total, 1, `${id} is listed`);
  return answer.body.values[0];
}

test("a created resource type is 201 with Location, the contract's creation response, and readable by GET and listing", async ({
  emulator,
}) => {
  const body = { ...thermostat, id: "meter", name: "Meter" };
  const answer = await call(emulator, "POST", TYPES, body);
  assert.is(answer.status, 201);
  assert.is(answer.headers.get("location"), at(TYPES, "meter"));
  assert.equal(answer.body, { statusCode: 201, uri: at(TYPES, "meter"), entity: body });
  assertContractValid("/components/schemas/ResourceTypeCreationResponse", answer.body, "the 201 body");
  assert.equal((await call(emulator, "GET", answer.headers.get("location")!)).body, body);
  assert.equal(await listed(emulator, TYPES, "meter"), body);
});

test("a created resource is 201 with Location (its id escaped), and readable by GET and listing, every field kept", async ({
  emulator,
}) => {
  const body = { ...room, id: "room 2/ö", name: "Room 2" };
  const answer = await call(emulator, "POST", RESOURCES, body);
  assert.is(answer.status, 201);
  assert.is(answer.headers.get("location"), "/resources/v1/resources/room%202%2F%C3%B6");
  assert.equal(answer.body, { statusCode: 201, uri: answer.headers.get("location"), entity: body });
  assertContractValid("/components/schemas/ResourceCreationResponse", answer.body, "the 201 body");
  assert.equal((await call(emulator, "GET", answer.headers.get("location")!)).body, body);
  assert.equal(await listed(emulator, RESOURCES, body.id), body);
  assert.equal((await call(emulator, "GET", `${RESOURCES}/site/children?fields=id`)).body.values, [{ id: "room 1/ä" }, { id: "room 2/ö" }]);
  assert.equal((await call(emulator, "GET", `${RESOURCES}/site/referrers?fields=id`)).body.values, [
    { id: "room 1/ä" },
    { id: "room 2/ö" },
  ]);
  const inUse = await call(emulator, "DELETE", at(TYPES, "thermostat"));
  assert.equal(inUse.body.error, "Type in use by 2 resource(s)", "the type index knows the new resource");
});

test("without an id, the system generates one (the contract's System Generated Id) and Location names it", async ({ emulator }) => {
  for (const [collection, body] of [
    [RESOURCES, { name: "anonymous" }],
    [TYPES, { name: "anonymous type" }],
  ] as const) {
    const answer = await call(emulator, "POST", collection, body);
    assert.is(answer.status, 201);
    assert.match(answer.body.entity.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(answer.body.entity, { ...body, id: answer.body.entity.id });
    assert.is(answer.headers.get("location"), at(collection, answer.body.entity.id));
    assert.equal((await call(emulator, "GET", answer.body.uri)).body, answer.body.entity);
  }
});

test("an existing id is 409 with the contract's messages, and the existing document is left as it was", async ({ emulator }) => {
  const resource = await call(emulator, "POST", RESOURCES, { id: "room 1/ä", name: "impostor" });
  assert.is(resource.status, 409);
  assert.equal(resource.body, { statusCode: 409, error: "Existing resource entry with id room 1/ä" });
  const type = await call(emulator, "POST", TYPES, { id: "thermostat" });
  assert.is(type.status, 409);
  assert.equal(type.body, { statusCode: 409, error: "Existing ResourceType entry with id thermostat" });
  assertContractValid("/components/schemas/ErrorResponse", type.body);
  assert.equal((await call(emulator, "GET", at(RESOURCES, "room 1/ä"))).body, room);
  assert.equal((await call(emulator, "GET", at(TYPES, "thermostat"))).body, thermostat);
});

test("a body the contract's schema refuses is 400 with its ValidationErrorResponse; the schema's refusals are the contract's", async ({
  emulator,
}) => {
  const refused: [string, string, unknown, string][] = [
    [RESOURCES, RESOURCE_BODY, { id: 7 }, "/id <- must be string"],
    [RESOURCES, RESOURCE_BODY, { id: "x", tags: "lora" }, "/tags <- must be array"],
    [RESOURCES, RESOURCE_BODY, { id: "x", tags: ["a", 1] }, "/tags/1 <- must be string"],
    [RESOURCES, RESOURCE_BODY, { id: "x", lastMessageTimestamp: 1.5 }, "/lastMessageTimestamp <- must be integer"],
    [RESOURCES, RESOURCE_BODY, { id: "x", location: { lat: 1 } }, "/location <- must have required property 'lon'"],
    [RESOURCES, RESOURCE_BODY, { id: "x", metrics: [{ unit: "m" }] }, "/metrics/0 <- must have required property 'name'"],
    [RESOURCES, RESOURCE_BODY, { id: "x", templates: [{ templateName: "t", type: "hourly" }] }, "/templates/0/type"],
    [RESOURCES, RESOURCE_BODY, { id: "x", parentId: null }, "/parentId <- must be string"],
    [RESOURCES, RESOURCE_BODY, ["x"], "/ <- must be object"],
    [TYPES, TYPE_BODY, { id: "t", name: 3 }, "/name <- must be string"],
    [TYPES, TYPE_BODY, { id: "t", sensors: [{ name: "s" }] }, "/sensors/0 <- must have required property 'sensor'"],
    [TYPES, TYPE_BODY, { id: "t", $constraints: ["not-a-uuid"] }, "/$constraints/0 <- must match pattern"],
    [TYPES, TYPE_BODY, { id: "t", $constraints: [{ constraintId: "x", status: "ineffect" }] }, "/$constraints/0 <- must be string"],
  ];
  for (const [collection, schema, body, message] of refused) {
    assert.not.ok(contractAdmits(schema, body), `the contract itself refuses ${JSON.stringify(body)}`);
    const answer = await call(emulator, "POST", collection, body);
    assert.is(answer.status, 400, JSON.stringify(body));
    assert.match(answer.body.error, message);
    assert.ok(answer.body.details.length > 0, "details list the schema errors");
    assertContractValid(responseSchema("ValidationErrorResponse"), answer.body, `the 400 for ${JSON.stringify(body)}`);
  }
  const notJson = await call(emulator, "POST", RESOURCES, "{not json");
  assert.equal([notJson.status, notJson.body], [400, { statusCode: 400, error: "/ <- request body is not valid JSON" }]);
  assert.equal([emulator.tenant.resources.size, emulator.tenant.resourceTypes.size], [2, 1], "nothing was created");
});

test("what the contract admits is created: any other property, a $ref to a resource that does not exist, empty values", async ({
  emulator,
}) => {
  const admitted: [string, string, Record<string, unknown>][] = [
    [RESOURCES, RESOURCE_BODY, { id: "a", anything: [{ at: 1 }], link: { $ref: "/resources/nowhere" }, tags: [], name: "" }],
    [RESOURCES, RESOURCE_BODY, { id: "b", templates: [{ templateName: "t", extra: { x: 1 } }], metrics: [{ name: "m", foo: 1 }] }],
    [TYPES, TYPE_BODY, { id: "c", $constraints: [], location: { lat: 0, lon: 0, alt: 3 } }],
  ];
  for (const [collection, schema, body] of admitted) {
    assert.ok(contractAdmits(schema, body), `the contract admits ${JSON.stringify(body)}`);
    const answer = await call(emulator, "POST", collection, body);
    assert.is(answer.status, 201, JSON.stringify(answer.body));
    assert.equal((await call(emulator, "GET", answer.body.uri)).body, body);
  }
});

test("where the contract is silent, the strictest reading: unknown type, unknown parent, empty id, server-managed fields", async ({
  emulator,
}) => {
  const refused: [string, Record<string, unknown>, string][] = [
    [RESOURCES, { id: "x", resourceTypeId: "nope" }, "/resourceTypeId <- no resource type with id nope"],
    [RESOURCES, { id: "x", parentId: "nope" }, "/parentId <- no resource with id nope"],
    [RESOURCES, { id: "x", parentId: "x" }, "/parentId <- no resource with id x"],
    [RESOURCES, { id: "" }, "/id <- an empty id has no URI to be fetched at"],
    [TYPES, { id: "" }, "/id <- an empty id has no URI to be fetched at"],
    [TYPES, { id: "t", $bulkOperation: "d44b2ce9-fb7e-453e-a8bf-b7fefd933313" }, "/$bulkOperation <- is managed by the service"],
    [TYPES, { id: "t", $constraints: ["cfd2b48e-a141-4d2e-8ec8-f09ce4f65ae3"] }, "/$constraints/0 <- no resource constraint with id"],
  ];
  for (const [collection, body, message] of refused) {
    const answer = await call(emulator, "POST", collection, body);
    assert.is(answer.status, 400, JSON.stringify(body));
    assert.is(answer.body.error, message.startsWith("/$constraints") ? `${message} cfd2b48e-a141-4d2e-8ec8-f09ce4f65ae3` : message);
    assertContractValid(responseSchema("ValidationErrorResponse"), answer.body, `the 400 for ${JSON.stringify(body)}`);
  }
  assert.equal([emulator.tenant.resources.size, emulator.tenant.resourceTypes.size], [2, 1], "nothing was created");
});

test("round trip: seed, read, delete, create the same documents, read: deep-equal by GET and by listing", async ({ emulator }) => {
  const before = {
    type: (await call(emulator, "GET", at(TYPES, "thermostat"))).body,
    site: (await call(emulator, "GET", at(RESOURCES, "site"))).body,
    room: (await call(emulator, "GET", at(RESOURCES, "room 1/ä"))).body,
  };
  assert.equal(before, { type: thermostat, site, room }, "the seeded documents are served with every field");
  for (const path of [at(RESOURCES, "room 1/ä"), at(RESOURCES, "site"), at(TYPES, "thermostat")]) {
    assert.is((await call(emulator, "DELETE", path)).status, 204, path);
  }
  assert.is((await call(emulator, "POST", TYPES, before.type)).status, 201);
  assert.is((await call(emulator, "POST", RESOURCES, before.site)).status, 201);
  assert.is((await call(emulator, "POST", RESOURCES, before.room)).status, 201);
  assert.equal((await call(emulator, "GET", at(TYPES, "thermostat"))).body, before.type);
  assert.equal((await call(emulator, "GET", at(RESOURCES, "site"))).body, before.site);
  assert.equal((await call(emulator, "GET", at(RESOURCES, "room 1/ä"))).body, before.room);
  assert.equal(await listed(emulator, TYPES, "thermostat"), before.type);
  assert.equal((await call(emulator, "GET", RESOURCES)).body.values, [before.room, before.site]);
});

test("stats count creates by kind, refused ones included", async ({ emulator }) => {
  await call(emulator, "POST", TYPES, { id: "t1" });
  await call(emulator, "POST", TYPES, { id: "t1" });
  await call(emulator, "POST", RESOURCES, { id: "r1", resourceTypeId: "t1" });
  const { requests } = emulator.stats();
  assert.equal([requests.createResourceType, requests.createResource, requests.other], [2, 1, 0]);
});

test.run();
