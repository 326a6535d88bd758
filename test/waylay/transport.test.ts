/** Retries where they are safe, never where they could create a second batch. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { shortenUrl } from "../../src/text/shorten-url.js";
import { HttpError } from "../../src/waylay/errors/HttpError.js";
import { NetworkError } from "../../src/waylay/errors/NetworkError.js";
import { parseRetryAfter } from "../../src/waylay/retry-after.js";
import { Transport, type Exchange, type RetryNotice } from "../../src/waylay/transport.js";
import { scriptedServer, type ScriptedServer } from "../helpers/scripted-server.js";

const test = suite("waylay: transport retries");
const fast = { minRetryDelayMs: 1, maxRetryDelayMs: 5 };
const error = (status: number) => ({ status, body: { statusCode: status, error: `status ${status}` } });

test("GET is retried on 503, 500 and 429, then succeeds", async () => {
  const server = await scriptedServer([
    error(503),
    error(500),
    { ...error(429), headers: { "retry-after": "0" } },
    { status: 200, body: { ok: true } },
  ]);
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
    // An answer returned rather than thrown would have a status of 400 too.
    assert.instance(err, HttpError);
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
    assert.instance(err, HttpError);
    assert.is(err.serverMessage, hostile, "the server's words are kept as data");
    assert.is(err.message, `GET ${server.url}/x answered 400: ` + String.raw`bad\u001b]0;pwned\u0007\u001b[2J\u009b1A\u202eevil`);
  } finally {
    await server.close();
  }
});

test("Retry-After is honoured", async () => {
  const server = await scriptedServer([
    { ...error(429), headers: { "retry-after": "1" } },
    { status: 200, body: {} },
  ]);
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
  const server = await scriptedServer([
    { ...error(429), headers: { "retry-after": "1" } },
    { status: 200, body: {} },
  ]);
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

/** A loopback port with nothing listening on it (a server's, closed). */
async function closedPort(): Promise<string> {
  const server = await scriptedServer([]);
  await server.close();
  return server.url;
}

test("a refused connection with no answer yet: one retry notice, then an error naming the endpoint within about 2 s", async () => {
  const url = await closedPort();
  const notices: RetryNotice[] = [];
  const exchanges: Exchange[] = [];
  const transport = new Transport({ endpoint: url, onRetry: (n) => notices.push(n), onExchange: (e) => exchanges.push(e) });
  const started = performance.now();
  const err = await transport.send("GET", transport.url("/x"), { accept: [200] }).catch((e: unknown) => e);
  const elapsed = performance.now() - started;
  assert.instance(err, NetworkError);
  assert.is((err as Error).message, `nothing is listening at ${url} (connection refused)`);
  assert.ok(elapsed < 3000, `gave up within the first-contact budget (${Math.round(elapsed)} ms)`);
  assert.ok(exchanges.length >= 2, "it did try again");
  assert.is(notices.length, 1, "one notice, not one per attempt");
  assert.equal(
    { reason: notices[0]!.reason, attempt: notices[0]!.attempt, attempts: notices[0]!.attempts, firstContact: notices[0]!.firstContact },
    { reason: `connection refused by ${new URL(url).host}`, attempt: 2, attempts: 11, firstContact: true },
  );
  assert.ok(notices[0]!.giveUpWithinMs <= 2000);
});

test("once the endpoint has answered, a refusal is a restart: decom keeps retrying past the first-contact budget", async () => {
  const server = await scriptedServer(() => ({ status: 200, body: { ok: 1 } }));
  const port = Number(new URL(server.url).port);
  const notices: RetryNotice[] = [];
  const transport = new Transport({ endpoint: server.url, minRetryDelayMs: 200, maxRetryDelayMs: 600, onRetry: (n) => notices.push(n) });
  await transport.send("GET", transport.url("/x"), { accept: [200] });
  await server.close();
  let back: ScriptedServer | undefined;
  const restart = new Promise<void>((resolve) =>
    setTimeout(() => void scriptedServer(() => ({ status: 200, body: { ok: 2 } }), port).then((s) => ((back = s), resolve())), 2500),
  );
  try {
    const started = performance.now();
    const answer = await transport.send("GET", transport.url("/x"), { accept: [200] });
    assert.equal(answer.body, { ok: 2 });
    assert.ok(performance.now() - started >= 2000, "it outlasted the first-contact budget");
    assert.is(notices.length, 1);
    assert.is(notices[0]!.firstContact, false);
    assert.match(notices[0]!.reason, "connection refused by 127.0.0.1:");
    assert.is(notices[0]!.attempts, 11);
  } finally {
    await restart;
    await back?.close();
  }
});

test("https:// against a plain-HTTP server fails at the first attempt, naming the endpoint and TLS", async () => {
  const server = await scriptedServer(() => ({ status: 200, body: {} }));
  try {
    const endpoint = server.url.replace("http://", "https://");
    const exchanges: Exchange[] = [];
    const notices: RetryNotice[] = [];
    const transport = new Transport({ endpoint, onExchange: (e) => exchanges.push(e), onRetry: (n) => notices.push(n) });
    const err = await transport.send("GET", transport.url("/x"), { accept: [200] }).catch((e: unknown) => e);
    assert.instance(err, NetworkError);
    assert.is((err as Error).message, `${endpoint} does not speak TLS (is it plain http://?)`);
    assert.is(exchanges.length, 1, "not retried");
    assert.is(notices.length, 0);
  } finally {
    await server.close();
  }
});

test("failures that may pass are announced once, naming the cause and the attempt", async () => {
  const server = await scriptedServer([
    error(503),
    error(502),
    error(503),
    { status: 200, body: {} },
    error(500),
    { status: 200, body: {} },
  ]);
  try {
    const notices: RetryNotice[] = [];
    const transport = new Transport({ endpoint: server.url, ...fast, onRetry: (n) => notices.push(n) });
    await transport.send("GET", transport.url("/x"), { accept: [200] });
    await transport.send("GET", transport.url("/y"), { accept: [200] });
    assert.is(server.requests.length, 6);
    assert.is(notices.length, 1, "once, then at most once a minute");
    assert.equal(notices[0], {
      method: "GET",
      url: `${server.url}/x`,
      reason: `${new URL(server.url).host} answered 503`,
      attempt: 2,
      attempts: 11,
      giveUpWithinMs: notices[0]!.giveUpWithinMs,
      firstContact: false,
    });
  } finally {
    await server.close();
  }
});

test("a notice follows when the kind of failure changes, even within the minute: throttled, then a server error", async () => {
  const server = await scriptedServer([
    { ...error(429), headers: { "retry-after": "0" } },
    error(429),
    error(503),
    error(502),
    { status: 200, body: {} },
  ]);
  try {
    const notices: RetryNotice[] = [];
    const transport = new Transport({ endpoint: server.url, ...fast, onRetry: (n) => notices.push(n) });
    await transport.send("GET", transport.url("/x"), { accept: [200] });
    const host = new URL(server.url).host;
    assert.equal(
      notices.map((n) => [n.reason, n.attempt]),
      [
        [`${host} answered 429 (too many requests)`, 2],
        [`${host} answered 503`, 4],
      ],
      "one notice per kind of failure; 503 then 502 are one kind",
    );
  } finally {
    await server.close();
  }
});

test("401 and 403 are not retried, and say where the credentials came from", async () => {
  const server = await scriptedServer([error(401), error(403), error(401)]);
  try {
    const credentials = { kind: "bearer" as const, token: "t0ken" };
    const transport = new Transport({ endpoint: server.url, ...fast, credentials, credentialsSource: "WAYLAY_TOKEN" });
    const unauthorized = (await transport.send("GET", transport.url("/x"), { accept: [200] }).catch((e: unknown) => e)) as HttpError;
    assert.is(unauthorized.status, 401);
    assert.is(
      unauthorized.message,
      `401 Unauthorized from ${server.url}: the credentials from WAYLAY_TOKEN were not accepted; check them (the server said: status 401)`,
    );
    const forbidden = (await transport
      .send("POST", transport.url("/resources/v1/batch"), { json: {}, accept: [202] })
      .catch((e: unknown) => e)) as HttpError;
    assert.is(
      forbidden.message,
      `403 Forbidden from ${server.url}: the credentials from WAYLAY_TOKEN may not POST /resources/v1/batch (the server said: status 403)`,
    );
    const anonymous = new Transport({ endpoint: server.url, ...fast });
    const none = (await anonymous.send("GET", anonymous.url("/x"), { accept: [200] }).catch((e: unknown) => e)) as HttpError;
    assert.match(
      none.message,
      `401 Unauthorized from ${server.url}: no credentials were sent; set WAYLAY_API_KEY and WAYLAY_API_SECRET, or WAYLAY_TOKEN`,
    );
    assert.is(server.requests.length, 3);
  } finally {
    await server.close();
  }
});

test("errors after retries (5xx, timeouts) quote a long URL shortened in the middle, as --debug does", async () => {
  const ids = new URLSearchParams(
    Array.from({ length: 60 }, (_, i): [string, string] => ["id", `ghost-${String(i + 1).padStart(4, "0")}`]),
  );
  const full = (url: string) => `${url}/resources/v1/resources?${ids}`;
  const server = await scriptedServer(() => error(503));
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  try {
    const busy = new Transport({ endpoint: server.url, retries: 1, ...fast });
    const unavailable = (await busy
      .send("GET", busy.url("/resources/v1/resources"), { searchParams: ids, accept: [200] })
      .catch((e: unknown) => e)) as HttpError;
    assert.instance(unavailable, HttpError);
    assert.is(unavailable.url, full(server.url), "the error keeps the whole URL as data");
    assert.is(unavailable.message, `GET ${shortenUrl(full(server.url))} answered 503: status 503`);
    assert.ok(unavailable.message.length < 300, unavailable.message);

    const slowUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const slow = new Transport({ endpoint: slowUrl, retries: 1, timeoutMs: 50, ...fast });
    const timedOut = (await slow
      .send("GET", slow.url("/resources/v1/resources"), { searchParams: ids, accept: [200] })
      .catch((e: unknown) => e)) as NetworkError;
    assert.instance(timedOut, NetworkError);
    assert.is(timedOut.kind, "timeout");
    assert.ok(timedOut.message.startsWith(`GET ${shortenUrl(full(slowUrl))} failed: `), timedOut.message);
    assert.ok(timedOut.message.length < 300, timedOut.message);
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await server.close();
  }
});

test("parseRetryAfter reads seconds and HTTP dates", () => {
  assert.is(parseRetryAfter("3"), 3000);
  assert.is(parseRetryAfter("Wed, 01 Jan 2031 00:00:10 GMT", Date.parse("2031-01-01T00:00:00Z")), 10_000);
  assert.is(parseRetryAfter(null), undefined);
  assert.is(parseRetryAfter("soon"), undefined);
});

test.run();
