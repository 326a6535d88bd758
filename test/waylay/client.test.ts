/** The client's lookups and batch calls, against the emulator and scripted servers. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/server.js";
import { parseBatchStatus } from "../../src/waylay/batch-status.js";
import { WaylayClient } from "../../src/waylay/client.js";
import { HttpError } from "../../src/waylay/errors/HttpError.js";
import { Transport } from "../../src/waylay/transport.js";
import { scriptedServer } from "../helpers/scripted-server.js";
import { devices, world } from "../helpers/world.js";

const test = suite("waylay: client");
const client = (endpoint: string, extra: ConstructorParameters<typeof Transport>[0] = { endpoint }) =>
  new WaylayClient(new Transport({ ...extra, endpoint, minRetryDelayMs: 1, maxRetryDelayMs: 5 }));

test("existence lookups use repeated id parameters, ceil(ids / 100) requests", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 250)) });
  try {
    const asked = [...devices("dev", 250).map((d) => d.id), ...devices("ghost", 50).map((d) => d.id)];
    const found = await client(emulator.url).findResources(asked);
    assert.is(found.length, 250);
    assert.is(emulator.count("GET", "/resources/v1/resources"), 3);
    assert.ok(emulator.requests.every((r) => r.search.includes("id=dev-") || r.search.includes("id=ghost-")));
  } finally {
    await emulator.close();
  }
});

test("lookups follow pages when the server caps the page size", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 250)), maxPageSize: 7 });
  try {
    const found = await client(emulator.url).findResources(devices("dev", 250).map((d) => d.id));
    assert.equal(
      found.map((f) => f.id).sort(),
      devices("dev", 250).map((d) => d.id),
    );
    // 100 + 100 + 50 ids: ceil(100/7) + ceil(100/7) + ceil(50/7) pages
    assert.is(emulator.count("GET", "/resources/v1/resources"), 15 + 15 + 8);
  } finally {
    await emulator.close();
  }
});

test("a listing that returns ids nobody asked for is refused (the id filter was ignored)", async () => {
  const server = await scriptedServer([{ status: 200, body: { values: [{ id: "other" }], skip: 0, limit: 100, total: 1 } }]);
  try {
    const err = await client(server.url)
      .findResources(["mine"])
      .catch((e: unknown) => e);
    assert.match((err as Error).message, 'listing returned "other", which was not asked for');
  } finally {
    await server.close();
  }
});

test("a referrers listing answered 404 (a gateway without the beta route) is an error, not 'no referrers'", async () => {
  const server = await scriptedServer([{ status: 404, body: { error: "Route not found" } }]);
  try {
    const err = await client(server.url)
      .listReferrers("meter-1")
      .catch((e: unknown) => e);
    assert.instance(err, Error, "listReferrers resolved instead of failing");
    assert.match((err as Error).message, "/resources/v1/resources/meter-1/referrers");
    assert.match((err as Error).message, "404");
  } finally {
    await server.close();
  }
});

test("credentials: Basic from key and secret, Bearer from a token; a 401 does not echo them", async () => {
  const credentials = { kind: "basic" as const, apiKey: "key-1", apiSecret: "s3cret-value" };
  const emulator = await startEmulator({ seed: world(devices("dev", 1)), credentials });
  try {
    assert.is((await client(emulator.url, { endpoint: emulator.url, credentials }).findResources(["dev-0001"])).length, 1);
    const err = await client(emulator.url, { endpoint: emulator.url, credentials: { ...credentials, apiSecret: "wrong-secret" } })
      .findResources(["dev-0001"])
      .catch((e: unknown) => e);
    assert.instance(err, HttpError);
    assert.is((err as HttpError).status, 401);
    assert.not.match((err as Error).message, "wrong-secret");
  } finally {
    await emulator.close();
  }
  const bearer = await startEmulator({ credentials: { kind: "bearer", token: "tok-123" } });
  try {
    assert.equal(
      await client(bearer.url, { endpoint: bearer.url, credentials: { kind: "bearer", token: "tok-123" } }).findResourceTypes(["x"]),
      [],
    );
  } finally {
    await bearer.close();
  }
});

test("a Location on another origin is not followed: credentials stay on the endpoint", async () => {
  const server = await scriptedServer([
    {
      status: 202,
      body: { statusCode: 202, uri: "/resources/v1/batch/b1", entity: { id: "b1" } },
      headers: { location: "https://elsewhere.example/steal/b1" },
    },
  ]);
  try {
    const accepted = await client(server.url).startBatch({ entity: "resourcetype", action: "delete", query: { ids: ["t"] } });
    assert.equal(accepted, { batchId: "b1", statusUrl: `${server.url}/resources/v1/batch/b1` });
  } finally {
    await server.close();
  }
});

test('batch status: running, finished, and statusCode sent as a string such as "404,"', () => {
  assert.equal(parseBatchStatus({ id: "b", queueTime: "t0" }, "b"), { batchId: "b", queueTime: "t0" });
  const finished = parseBatchStatus(
    {
      id: "b",
      finishedTime: "t1",
      results: {
        success: { a: { statusCode: 204 } },
        failure: {
          b: { statusCode: "404,", error: "No resource with id b" },
          c: { statusCode: "400,", error: "still parent" },
          d: { error: "?" },
        },
      },
    },
    "b",
  );
  assert.ok(typeof finished !== "string");
  const results = (finished as Exclude<typeof finished, string>).results!;
  assert.equal(results.get("a"), { ok: true, statusCode: 204 });
  assert.equal(results.get("b"), { ok: false, statusCode: 404, error: "No resource with id b" });
  assert.equal(results.get("c"), { ok: false, statusCode: 400, error: "still parent" });
  assert.ok(Number.isNaN(results.get("d")!.statusCode));
  assert.is(parseBatchStatus({ id: "b", finishedTime: "t1" }, "b"), "finished batch without results");
});

test.run();
