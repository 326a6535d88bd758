/** The client's lookups and batch calls, against the emulator and scripted servers. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/server.js";
import { parseBatchStatus } from "../../src/waylay/batch-status.js";
import { WaylayClient } from "../../src/waylay/client.js";
import { HttpError } from "../../src/waylay/errors/HttpError.js";
import { Transport } from "../../src/waylay/transport.js";
import { scriptedServer } from "../helpers/scripted-server.js";
import { startThrottlingProxy } from "../helpers/throttling-proxy.js";
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

test("a paged listing asks for the pages after the first at once, and returns every match once", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 95)), maxPageSize: 10, faults: { latencyMs: 20 } });
  // Counts how many requests are in flight at once (no limit: nothing is throttled).
  const proxy = await startThrottlingProxy(emulator.url, Number.POSITIVE_INFINITY);
  try {
    const listed = await client(proxy.url).listResources({ resourceTypeId: "device" });
    assert.equal(
      listed.map((r) => r.id).sort(),
      devices("dev", 95).map((d) => d.id),
    );
    // One request per page of 10, none repeated; the nine after the first were in flight together (the lookups' limit is 8).
    assert.is(emulator.count("GET", "/resources/v1/resources"), 10);
    assert.is(new Set(emulator.requests.map((r) => new URLSearchParams(r.search).get("skip"))).size, 10);
    assert.ok(proxy.peak > 1, `at most ${proxy.peak} listing request in flight at once`);
  } finally {
    await proxy.close();
    await emulator.close();
  }
});

test("a caller that knows how many to expect has every page asked at once; the answer is the listing, whatever it holds now", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 50)), faults: { latencyMs: 20 } });
  const proxy = await startThrottlingProxy(emulator.url, Number.POSITIVE_INFINITY);
  const ids = devices("dev", 50).map((d) => d.id);
  const paged = new WaylayClient(new Transport({ endpoint: proxy.url, minRetryDelayMs: 1, maxRetryDelayMs: 5 }), { listPageSize: 10 });
  try {
    const listed = await paged.listResources({ resourceTypeId: "device" }, 50);
    assert.equal(listed.map((r) => r.id).sort(), ids);
    assert.is(emulator.count("GET", "/resources/v1/resources"), 5);
    // All five in flight together: the first page was not waited for to learn the total.
    assert.is(proxy.peak, 5);
    // Fewer than expected (some gone), or more (some added): the listing as it is.
    assert.is((await paged.listResources({ resourceTypeId: "device" }, 80)).length, 50);
    assert.is((await paged.listResources({ resourceTypeId: "device" }, 20)).length, 50);
  } finally {
    await proxy.close();
    await emulator.close();
  }
});

test("expecting pages of the size asked from a server that keeps to smaller ones: the rest is read on from the first", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 50)), maxPageSize: 7 });
  try {
    const paged = new WaylayClient(new Transport({ endpoint: emulator.url }), { listPageSize: 10 });
    const listed = await paged.listResources({ resourceTypeId: "device" }, 50);
    assert.equal(
      listed.map((r) => r.id).sort(),
      devices("dev", 50).map((d) => d.id),
    );
  } finally {
    await emulator.close();
  }
});

test("a page that comes back short before the end (uneven paging, a listing that changed): the rest is read from there", async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `item-${String(i).padStart(2, "0")}`);
  const server = await scriptedServer((req) => {
    const params = new URL(req.url ?? "/", "http://server").searchParams;
    const skip = Number(params.get("skip"));
    // Pages of 10, except the one at 10, which holds 7: a reader that trusted the offsets would miss 17, 18 and 19.
    const size = skip === 10 ? 7 : 10;
    const values = ids.slice(skip, skip + size).map((id) => ({ id }));
    return { status: 200, body: { values, skip, limit: size, total: ids.length } };
  });
  try {
    const listed = await client(server.url).listResources({ resourceTypeId: "t" });
    assert.equal(listed.map((r) => r.id).sort(), ids);
    const skips = server.requests.map((r) => Number(new URL(r.url, "http://server").searchParams.get("skip")));
    assert.ok(skips.includes(17), `pages asked: ${skips.join(", ")}`);
  } finally {
    await server.close();
  }
});

test("a listing whose total grows while it is paged is followed to its new end", async () => {
  let total = 20;
  const server = await scriptedServer((req) => {
    const skip = Number(new URL(req.url ?? "/", "http://server").searchParams.get("skip"));
    const values = Array.from({ length: Math.max(0, Math.min(10, total - skip)) }, (_, i) => ({ id: `item-${skip + i}` }));
    const page = { status: 200, body: { values, skip, limit: 10, total } };
    // Five more resources appear once the first page has been served.
    total = 25;
    return page;
  });
  try {
    const listed = await client(server.url).listResources({ resourceTypeId: "t" });
    assert.is(listed.length, 25);
  } finally {
    await server.close();
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
