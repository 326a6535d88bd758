/** Which failures cannot pass on retry: decided from the error Node's fetch gives. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { classifyNetworkFailure, isPermanent } from "../../src/waylay/network-failure.js";

const test = suite("waylay: network failures");

/** What fetch throws: a TypeError "fetch failed" whose cause says why. */
function fetchFailed(cause: { code?: string; message: string }): Error {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(cause.message), cause.code ? { code: cause.code } : {}) });
}

test("TLS, DNS NXDOMAIN and fetch's bad ports are permanent; refusals, resets, timeouts and unreachable networks may pass", () => {
  const cases: [Error, string, boolean][] = [
    [fetchFailed({ code: "ERR_SSL_WRONG_VERSION_NUMBER", message: "ssl3_get_record:wrong version number" }), "not-tls", true],
    [fetchFailed({ code: "DEPTH_ZERO_SELF_SIGNED_CERT", message: "self-signed certificate" }), "tls", true],
    [fetchFailed({ code: "ERR_TLS_CERT_ALTNAME_INVALID", message: "Hostname/IP does not match certificate's altnames" }), "tls", true],
    [fetchFailed({ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND api.waylay.oi" }), "no-such-host", true],
    [fetchFailed({ message: "bad port" }), "bad-port", true],
    [fetchFailed({ code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:4567" }), "refused", false],
    [fetchFailed({ code: "ECONNRESET", message: "read ECONNRESET" }), "reset", false],
    [fetchFailed({ code: "UND_ERR_SOCKET", message: "other side closed" }), "reset", false],
    [fetchFailed({ code: "UND_ERR_CONNECT_TIMEOUT", message: "Connect Timeout Error" }), "timeout", false],
    [fetchFailed({ code: "EAI_AGAIN", message: "getaddrinfo EAI_AGAIN api.waylay.io" }), "unreachable", false],
    [fetchFailed({ code: "EHOSTUNREACH", message: "connect EHOSTUNREACH" }), "unreachable", false],
  ];
  for (const [err, kind, permanent] of cases) {
    const failure = classifyNetworkFailure(err);
    assert.is(failure.kind, kind, String((err.cause as Error).message));
    assert.is(isPermanent(failure), permanent, kind);
  }
});

test.run();
