/** Retries where they are safe, never where they could create a second batch. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { HttpError } from "../../src/waylay/errors/HttpError.js";
import { NetworkError } from "../../src/waylay/errors/NetworkError.js";
import { parseRetryAfter } from "../../src/waylay/retry-after.js";
import { Transport } from "../../src/waylay/transport.js";
import { scriptedServer } from "../helpers/scripted-server.js";

const test = suite("waylay: transport retries");
const fast = { minRetryDelayMs: 1, maxRetryDelayMs: 5 };
const error = (status: number) => ({ status, body: { statusCode: status, error: `status ${status}` } });

test("GET is retried on 503, 500 and 429, then succeeds", async () => {
  const server = await scriptedServer([error(503), error(500), { ...error(429), headers: { "retry-after": "0" } }, { status: 200, body: { ok: true } }]);
  try {
    const transport = new Transport({ endpoint: server.url, ...fast });
    const answer = await transport.send("GET", transport.url("/x"), { accept: [200] });
    assert.equal(answer.body, { ok: true });
    assert.is(server.requests.length, 4);
  } finally {
    await server.close();
  }
});

test("POST is not retried on 500: the server may have created the batch", async () => {
  const server = await scriptedServer([error(500), { status: 202, body: {} }]);
  try {
    const transport = new Transport({ endpoint: server.url, ...fast });
    const err = await transport.send("POST", transport.url("/resources/v1/batch"), { json: {}, accept: [202] }).catch((e: unknown) => e);
    assert.instance(err, HttpError);
    assert.is((err as HttpError).status, 500);
    assert.is((err as HttpError).message, `POST ${server.url}/resources/v1/batch answered 500: status 500`);
    assert.is(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

test("POST is retried on 429 and 503, which say the request was not acted on", async () => {
  const server = await scriptedServer([{ ...error(429), headers: { "retry-after": "0" } }, error(503), { status: 202, body: { id: "b" } }]);
  try {
    const transport = new Transport({ endpoint: server.url, ...fast });
    const answer = await transport.send("POST", transport.url("/resources/v1/batch"), { json: {}, accept: [202] });
    assert.is(answer.status, 202);
    assert.is(server.requests.length, 3);
  } finally {
    await server.close();
  }
});

test("other 4xx are not retried", async () => {
  const server = await scriptedServer([error(400), error(403)]);
  try {
    const transport = new Transport({ endpoint: server.url, ...fast });
    const err = await transport.send("GET", transport.url("/x"), { accept: [200] }).catch((e: unknown) => e);
    assert.is((err as HttpError).status, 400);
    assert.is(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

test("a server's error text cannot carry escape sequences into the message decom prints", async () => {
  const hostile = "bad\u001b]0;pwned\u0007\u001b[2J\u009b1A\u202eevil";
  const server = await scriptedServer([{ status: 400, body: { statusCode: 400, error: hostile } }]);
  try {
    const transport = new Transport({ endpoint: server.url, ...fast });
    const err = (await transport.send("GET", transport.url("/x"), { accept: [200] }).catch((e: unknown) => e)) as HttpError;
    assert.is(err.serverMessage, hostile, "the server's words are kept as data");
    assert.is(err.message, `GET ${server.url}/x answered 400: ` + String.raw`bad\u001b]0;pwned\u0007\u001b[2J\u009b1A\u202eevil`);
  } finally {
    await server.close();
  }
});

test("Retry-After is honoured", async () => {
  const server = await scriptedServer([{ ...error(429), headers: { "retry-after": "1" } }, { status: 200, body: {} }]);
  try {
    const transport = new Transport({ endpoint: server.url, ...fast });
    const started = Date.now();
    await transport.send("GET", transport.url("/x"), { accept: [200] });
    assert.ok(Date.now() - started >= 1000, "waited at least the second the server asked for");
  } finally {
    await server.close();
  }
});

test("Retry-After and the backoff are not added up: decom waits the longer of the two, once", async () => {
  const server = await scriptedServer([{ ...error(429), headers: { "retry-after": "1" } }, { status: 200, body: {} }]);
  try {
    // A backoff of exactly 900 ms (jitter cannot pass the cap): the sum would be 1.9 s, the longer 1 s.
    const transport = new Transport({ endpoint: server.url, minRetryDelayMs: 900, maxRetryDelayMs: 900 });
    const started = performance.now();
    await transport.send("GET", transport.url("/x"), { accept: [200] });
    const elapsed = performance.now() - started;
    assert.is(server.requests.length, 2);
    assert.ok(elapsed >= 990, `waited the second the server asked for (${Math.round(elapsed)} ms)`);
    assert.ok(elapsed < 1600, `and not the backoff on top of it (${Math.round(elapsed)} ms)`);
  } finally {
    await server.close();
  }
});

test("no wait follows the last attempt, whatever Retry-After says", async () => {
  const arrivals: number[] = [];
  const server = await scriptedServer(() => {
    arrivals.push(performance.now());
    return { ...error(429), headers: { "retry-after": "2" } };
  });
  try {
    const transport = new Transport({ endpoint: server.url, retries: 1, ...fast });
    const started = performance.now();
    const err = await transport.send("GET", transport.url("/x"), { accept: [200] }).catch((e: unknown) => e);
    const ended = performance.now();
    assert.instance(err, HttpError);
    assert.is((err as HttpError).status, 429);
    assert.is(arrivals.length, 2, "one attempt and one retry");
    assert.ok(arrivals[1]! - started >= 1990, "the retry came after the 2 s asked for");
    assert.ok(ended - started < 3500, `one wait in all, not two (${Math.round(ended - started)} ms)`);
    assert.ok(ended - arrivals[1]! < 1000, `the error came right after the last attempt (${Math.round(ended - arrivals[1]!)} ms later)`);
  } finally {
    await server.close();
  }
});

test("a refused connection is a NetworkError naming method and URL, retried for GET", async () => {
  const server = await scriptedServer([]);
  const url = server.url;
  await server.close();
  const transport = new Transport({ endpoint: url, retries: 2, ...fast });
  const err = await transport.send("GET", transport.url("/x"), { accept: [200] }).catch((e: unknown) => e);
  assert.instance(err, NetworkError);
  assert.is((err as NetworkError).message, `GET ${url}/x failed: ECONNREFUSED`);
});

test("parseRetryAfter reads seconds and HTTP dates", () => {
  assert.is(parseRetryAfter("3"), 3000);
  assert.is(parseRetryAfter("Wed, 01 Jan 2031 00:00:10 GMT", Date.parse("2031-01-01T00:00:00Z")), 10_000);
  assert.is(parseRetryAfter(null), undefined);
  assert.is(parseRetryAfter("soon"), undefined);
});

test.run();
