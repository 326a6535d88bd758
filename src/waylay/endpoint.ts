/** Checking a gateway URL; which one to use is decided in connection.ts. */
import { fail } from "../diagnostics.js";

export const DEFAULT_ENDPOINT = "https://api.waylay.io";

/** Normalises and checks an endpoint; `origin` names where it came from, for messages. */
export function checkEndpoint(raw: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("endpoint.invalid", `${origin}: "${raw}" is not a URL (expected e.g. ${DEFAULT_ENDPOINT})`);
  }
  if (url.username || url.password) {
    fail("endpoint.credentials", `${origin}: the endpoint URL must not carry credentials; use WAYLAY_API_KEY/WAYLAY_API_SECRET or WAYLAY_TOKEN`);
  }
  if (url.search || url.hash) fail("endpoint.invalid", `${origin}: the endpoint must not have a query or fragment`);
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    fail("endpoint.insecure", `${origin}: plain http:// is refused for ${url.hostname}; use https:// (http is allowed only for loopback addresses)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail("endpoint.invalid", `${origin}: unsupported protocol ${url.protocol} (use https://)`);
  }
  return url.href.replace(/\/+$/, "");
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
