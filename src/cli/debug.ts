/** --debug: where decom connects, and a line per HTTP exchange. Credentials are never printed. */
import { escaped } from "../text/escape.js";
import { shortenUrl } from "../text/shorten-url.js";
import type { Connection } from "../waylay/connection.js";
import { describeCredentials } from "../waylay/connection.js";
import type { Exchange } from "../waylay/transport.js";
import type { Io } from "./io.js";

export function debugHooks(io: Io, enabled: boolean | undefined) {
  if (!enabled) return {};
  return {
    onConnect: (c: Connection) =>
      io.stderr.write(
        `debug: endpoint ${c.endpoint} (from ${c.endpointSource}); ${describeCredentials(c.credentials)}` +
          `${c.credentials ? ` (from ${c.credentialsSource})` : ""}\n`,
      ),
    onExchange: (e: Exchange) => {
      // A status URL comes from the server's Location header.
      const url = escaped(shortenUrl(e.url));
      io.stderr.write(
        `debug: ${e.method} ${url} → ${e.status} in ${Math.round(e.durationMs)} ms${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}\n`,
      );
    },
  };
}
