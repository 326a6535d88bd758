/** Failures put in words for the user: why decom is retrying, and what is wrong with an endpoint that cannot work. */
import { formatDuration } from "../text/duration.js";
import { NetworkError } from "./errors/NetworkError.js";
import { RetryableHttpError } from "./errors/RetryableHttpError.js";
import type { WaylayError } from "./errors/WaylayError.js";
import type { NetworkFailure } from "./network-failure.js";

/** `connection refused by 127.0.0.1:4567`, `api.waylay.io answered 429 (too many requests), asking to wait 5s`. */
export function retryReason(error: Error, timeoutMs: number): string {
  const failed = error as WaylayError;
  const host = new URL(failed.url).host;
  if (error instanceof RetryableHttpError) {
    const asked = error.retryAfterMs ? `, asking to wait ${formatDuration(error.retryAfterMs)}` : "";
    return `${host} answered ${error.status}${error.status === 429 ? " (too many requests)" : ""}${asked}`;
  }
  const { kind, reason } = error instanceof NetworkError ? error : { kind: "other", reason: error.message };
  if (kind === "refused") return `connection refused by ${host}`;
  if (kind === "reset") return `the connection to ${host} was cut (${reason})`;
  if (kind === "timeout") return `no answer from ${host} within ${formatDuration(timeoutMs)}`;
  if (kind === "unreachable") return `${host} cannot be reached (${reason})`;
  return `${failed.method} to ${host} failed (${reason})`;
}

/** The one line for a failure no retry can mend, naming the endpoint. */
export function endpointProblem(endpoint: string, failure: NetworkFailure): string {
  const { hostname, port } = new URL(endpoint);
  switch (failure.kind) {
    case "not-tls":
      return `${endpoint} does not speak TLS (is it plain http://?)`;
    case "no-such-host":
      return `${endpoint}: no such host: DNS does not know ${hostname} (${failure.code})`;
    case "bad-port":
      return `${endpoint}: port ${port} is one that fetch refuses to connect to ("bad port"); use another port`;
    default:
      return `${endpoint}: the TLS handshake failed (${failure.code})`;
  }
}

/**
 * Why a 404 may be the endpoint's fault: it has a path, and decom puts the API
 * paths (`/resources/v1/…`) under it. A gateway behind a path prefix is
 * legitimate, so the path is kept; only a 404 suggests it was a mistake.
 * Undefined for an endpoint without a path.
 */
export function endpointPathHint(endpoint: string): string | undefined {
  const { pathname, origin } = new URL(endpoint);
  if (pathname === "/" || pathname === "") return undefined;
  return `the endpoint has a path (${pathname}) and decom adds /resources/v1/… itself: give the gateway's root, e.g. ${origin}`;
}

/** Why decom stopped at a 429 or 503 rather than wait as long as the server asked. */
export function retryAfterTooLong(askedMs: number, maxMs: number): string {
  return (
    `it asked to wait ${formatDuration(askedMs)}, and decom waits at most ${formatDuration(maxMs)} for a Retry-After, ` +
    "so it stopped: run the command again later"
  );
}
