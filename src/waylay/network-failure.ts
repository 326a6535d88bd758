/**
 * What a request that got no answer says about the endpoint: whether trying
 * again can help. A TLS failure, a host DNS does not know, or a port fetch
 * will not connect to stay so however often decom retries; a refused or reset
 * connection, a timeout or an unreachable network may pass.
 */
import { TimeoutError } from "ky";

export type NetworkFailureKind =
  /** Permanent: the server does not speak TLS, or its certificate is not trusted. */
  | "not-tls"
  | "tls"
  /** Permanent: DNS says the host does not exist (ENOTFOUND). */
  | "no-such-host"
  /** Permanent: a port the fetch standard blocks (1, 9, 22, 25, …). */
  | "bad-port"
  /** May pass. */
  | "refused"
  | "reset"
  | "timeout"
  | "unreachable"
  | "other";

export interface NetworkFailure {
  kind: NetworkFailureKind;
  /** `ECONNREFUSED`, `ERR_SSL_WRONG_VERSION_NUMBER`, … or the error's message when it has no code. */
  code: string;
}

const PERMANENT: ReadonlySet<NetworkFailureKind> = new Set(["not-tls", "tls", "no-such-host", "bad-port"]);

/** Certificate problems OpenSSL reports without an ERR_TLS_/ERR_SSL_ prefix: codes that start so, and whole codes. */
const CERTIFICATE_PREFIX = /^(CERT_|UNABLE_TO_(GET|VERIFY|DECRYPT)_)/;
const CERTIFICATE_CODE = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|INVALID_CA|PATH_LENGTH_EXCEEDED|HOSTNAME_MISMATCH)$/;
const isCertificateCode = (code: string) => CERTIFICATE_PREFIX.test(code) || CERTIFICATE_CODE.test(code);

/** What a plain-HTTP server's answer to a TLS hello looks like to OpenSSL. */
const NOT_TLS = /WRONG_VERSION_NUMBER|HTTP_REQUEST|PACKET_LENGTH_TOO_LONG|wrong version number|http request|packet length too long/;

export function classifyNetworkFailure(err: unknown): NetworkFailure {
  if (err instanceof TimeoutError) return { kind: "timeout", code: "timeout" };
  const code = errorCode(err);
  const message = errorMessage(err);
  const text = code ?? message;
  if (NOT_TLS.test(text) || NOT_TLS.test(message)) return { kind: "not-tls", code: text };
  if (code && (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_") || code === "EPROTO" || isCertificateCode(code)))
    return { kind: "tls", code };
  if (code === "ENOTFOUND") return { kind: "no-such-host", code };
  if (message === "bad port") return { kind: "bad-port", code: message };
  if (code === "ECONNREFUSED") return { kind: "refused", code };
  if (code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET" || code === "ECONNABORTED") return { kind: "reset", code };
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT") return { kind: "timeout", code };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "ENETDOWN" || code === "EHOSTDOWN" || code === "EAI_AGAIN")
    return { kind: "unreachable", code };
  return { kind: "other", code: text };
}

export function isPermanent(failure: NetworkFailure): boolean {
  return PERMANENT.has(failure.kind);
}

/** The error `fetch` wraps ("fetch failed") hides the one that says why in `cause`. */
function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorMessage(err: unknown): string {
  let current: unknown = err;
  let message = "";
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof Error) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message || String(err);
}
