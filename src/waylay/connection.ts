/**
 * Where decom connects and with what, each setting from the first source that
 * has it: a flag, then the environment, then the Waylay SDK profile
 * (`--profile`, else WAYLAY_PROFILE, else the SDK's default profile if it
 * exists), then the default gateway. Every setting remembers its source, for
 * --debug and for the warning when credentials would go to another gateway
 * than the one their profile names.
 */
import { fail, warning, type Diagnostic } from "../diagnostics.js";
import { credentialsFromEnv, requireCredentials, type Credentials } from "./auth.js";
import { checkEndpoint, DEFAULT_ENDPOINT, isLoopback } from "./endpoint.js";
import { DEFAULT_PROFILE, readProfile } from "./profile.js";

export interface ConnectionRequest {
  /** --endpoint */
  endpoint?: string | undefined;
  /** --profile */
  profile?: string | undefined;
  /** Given by a library caller; wins over the environment. */
  credentials?: Credentials | undefined;
  env: NodeJS.ProcessEnv;
}

export interface Connection {
  endpoint: string;
  credentials: Credentials | undefined;
  /** Where each came from, e.g. `--endpoint`, `WAYLAY_API_KEY`, `profile "prod"`. */
  endpointSource: string;
  credentialsSource: string;
  warnings: Diagnostic[];
}

export function resolveConnection(request: ConnectionRequest): Connection {
  const { env } = request;
  const profileName = request.profile ?? env.WAYLAY_PROFILE;
  const profile = readProfile(profileName ?? DEFAULT_PROFILE, env, profileName !== undefined);
  const fromProfile = profile ? `profile "${profile.name}"` : "";

  let endpointRaw: string;
  let endpointSource: string;
  if (request.endpoint !== undefined) [endpointRaw, endpointSource] = [request.endpoint, "--endpoint"];
  else if (env.WAYLAY_GATEWAY_URL) [endpointRaw, endpointSource] = [env.WAYLAY_GATEWAY_URL, "WAYLAY_GATEWAY_URL"];
  else if (profile?.gatewayUrl) [endpointRaw, endpointSource] = [profile.gatewayUrl, fromProfile];
  else [endpointRaw, endpointSource] = [DEFAULT_ENDPOINT, "default"];
  const endpoint = checkEndpoint(endpointRaw, endpointSource);

  let credentials: Credentials | undefined;
  let credentialsSource = "none";
  const fromEnv = credentialsFromEnv(env);
  if (request.credentials) [credentials, credentialsSource] = [request.credentials, "the caller"];
  else if (fromEnv)
    [credentials, credentialsSource] = [fromEnv, fromEnv.kind === "basic" ? "WAYLAY_API_KEY/WAYLAY_API_SECRET" : "WAYLAY_TOKEN"];
  else if (profile?.credentials) [credentials, credentialsSource] = [profile.credentials, fromProfile];
  else if (profile?.credentialsProblem && (profileName !== undefined || !isLoopback(new URL(endpoint).hostname))) {
    // The profile was to supply them: say what is wrong with it, not only that credentials are missing.
    fail("profile.invalid", `Waylay profile "${profile.name}": ${profile.path} ${profile.credentialsProblem}`);
  }

  const warnings: Diagnostic[] = [];
  if (credentialsSource === fromProfile && profile?.gatewayUrl && checkEndpoint(profile.gatewayUrl, fromProfile) !== endpoint) {
    warnings.push(
      warning(
        "connection.other-gateway",
        `the credentials of ${fromProfile} (for ${profile.gatewayUrl}) are used with ${endpoint} (from ${endpointSource})`,
      ),
    );
  }
  return { endpoint, credentials: requireCredentials(credentials, endpoint), endpointSource, credentialsSource, warnings };
}

/** For --debug: who we are, without the secret. */
export function describeCredentials(credentials: Credentials | undefined): string {
  if (!credentials) return "no credentials";
  return credentials.kind === "basic" ? `API key ${credentials.apiKey.slice(0, 4)}…` : "a bearer token";
}
