/**
 * A gateway in front of the emulator that limits how many requests may be in
 * flight at once, as a tenant's gateway does: a request that arrives while
 * `maxInFlight` are being served is answered 429 with Retry-After, the others
 * are passed on unchanged. Unlike the emulator's `rateLimitRate` (a share of
 * requests, whatever the load), how many 429s it answers depends on how many
 * requests decom keeps in flight, so it shows whether decom backs off.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ThrottlingProxy {
  url: string;
  /** Requests answered 429. */
  readonly throttled: number;
  /** Requests passed on to the emulator. */
  readonly passed: number;
  /** The most requests it held in flight at once. */
  readonly peak: number;
  close(): Promise<void>;
}

export async function startThrottlingProxy(target: string, maxInFlight: number, retryAfterSeconds = 0): Promise<ThrottlingProxy> {
  const to = new URL(target);
  let inFlight = 0;
  const counts = { throttled: 0, passed: 0, peak: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (inFlight >= maxInFlight) {
      counts.throttled++;
      req.resume();
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(retryAfterSeconds) });
      res.end(JSON.stringify({ statusCode: 429, error: "Too Many Requests (gateway)" }));
      return;
    }
    inFlight++;
    counts.peak = Math.max(counts.peak, inFlight);
    counts.passed++;
    const done = () => inFlight--;
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("end", done);
      },
    );
    upstream.on("error", () => {
      done();
      res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get throttled() {
      return counts.throttled;
    },
    get passed() {
      return counts.passed;
    },
    get peak() {
      return counts.peak;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
