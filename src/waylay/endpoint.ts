/**
 * Checking a gateway URL, before any request: what can never work (not a URL,
 * no valid port, a port fetch blocks) is refused here in one line rather than
 * found out by retrying. Which URL to use is decided in connection.ts.
 */
import { fail } from "../diagnostics.js";
import { BAD_PORTS } from "./bad-ports.js";

export const DEFAULT_ENDPOINT = "https://api.waylay.io";

/** Normalises and checks an endpoint; `origin` names where it came from, for messages. */
export function checkEndpoint(raw: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // What the user typed, but never a password they may have put in it.
    const shown = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, "$1…@");
    const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):([^/?#@]*)(?:[/?#]|$)/i.exec(raw)?.[1];
    if (port !== undefined && port !== "" && !(/^\d+$/.test(port) && Number(port) <= 65535)) {
      return fail("endpoint.invalid", `${origin}: "${shown}" is not a URL: the port must be a number from 1 to 65535`);
    }
    return fail("endpoint.invalid", `${origin}: "${shown}" is not a URL (expected e.g. ${DEFAULT_ENDPOINT})`);
  }
  if (url.username || url.password) {
    fail(
      "endpoint.credentials",
      `${origin}: the endpoint URL must not carry credentials; use WAYLAY_API_KEY/WAYLAY_API_SECRET or WAYLAY_TOKEN`,
    );
  }
  if (url.search || url.hash) fail("endpoint.invalid", `${origin}: the endpoint must not have a query or fragment`);
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    fail(
      "endpoint.insecure",
      `${origin}: plain http:// is refused for ${url.hostname}; use https:// (http is allowed only for loopback addresses)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail("endpoint.invalid", `${origin}: unsupported protocol ${url.protocol} (use https://)`);
  }
  const port = Number(url.port);
  if (url.port !== "" && BAD_PORTS.has(port)) {
    fail("endpoint.bad-port", `${origin}: port ${port} is one that fetch refuses to connect to ("bad port"); use another port`);
  }
  return url.href.replace(/\/+$/, "");
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
