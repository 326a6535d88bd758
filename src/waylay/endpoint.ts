/** Where decom talks to: `--endpoint`, else WAYLAY_GATEWAY_URL, else the Waylay enterprise gateway. */
import { fail } from "../diagnostics.js";

export const DEFAULT_ENDPOINT = "https://api.waylay.io";

/** Normalises and checks an endpoint; `origin` names where it came from, for messages. */
export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv, origin?: string): string {
  const raw = flag ?? env.WAYLAY_GATEWAY_URL ?? DEFAULT_ENDPOINT;
  origin ??= flag !== undefined ? "--endpoint" : env.WAYLAY_GATEWAY_URL !== undefined ? "WAYLAY_GATEWAY_URL" : "default";
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
