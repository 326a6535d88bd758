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
