/**
 * Credentials, from the environment only, so they never land in a plan, a state
 * file or shell history. API key + secret (HTTP Basic, the contract's security
 * scheme) take precedence over a bearer token when both are set.
 */
import { fail } from "../diagnostics.js";
import { isLoopback } from "./endpoint.js";

export type Credentials = { kind: "basic"; apiKey: string; apiSecret: string } | { kind: "bearer"; token: string };

export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  const apiKey = env.WAYLAY_API_KEY;
  const apiSecret = env.WAYLAY_API_SECRET;
  if (apiKey || apiSecret) {
    if (!apiKey) fail("auth.incomplete", "WAYLAY_API_SECRET is set but WAYLAY_API_KEY is not");
    if (!apiSecret) fail("auth.incomplete", "WAYLAY_API_KEY is set but WAYLAY_API_SECRET is not");
    return { kind: "basic", apiKey, apiSecret };
  }
  if (env.WAYLAY_TOKEN) return { kind: "bearer", token: env.WAYLAY_TOKEN };
  return undefined;
}

/** A real tenant needs credentials; the loopback emulator does not. */
export function requireCredentials(credentials: Credentials | undefined, endpoint: string): Credentials | undefined {
  if (!credentials && !isLoopback(new URL(endpoint).hostname)) {
    fail("auth.missing", `no Waylay credentials for ${endpoint}: set WAYLAY_API_KEY and WAYLAY_API_SECRET, or WAYLAY_TOKEN`);
  }
  return credentials;
}

export function authorizationHeader(credentials: Credentials): string {
  return credentials.kind === "basic"
    ? `Basic ${Buffer.from(`${credentials.apiKey}:${credentials.apiSecret}`).toString("base64")}`
    : `Bearer ${credentials.token}`;
}
