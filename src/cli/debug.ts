/** --debug: where decom connects, and a line per HTTP exchange. Credentials are never printed. */
import { escaped } from "../text/escape.js";
import type { Connection } from "../waylay/connection.js";
import { describeCredentials } from "../waylay/connection.js";
import type { Exchange } from "../waylay/transport.js";
import type { Io } from "./io.js";

export function debugHooks(io: Io, enabled: boolean | undefined) {
  if (!enabled) return {};
  return {
    onConnect: (c: Connection) =>
      io.stderr.write(`debug: endpoint ${c.endpoint} (from ${c.endpointSource}); ${describeCredentials(c.credentials)} (from ${c.credentialsSource})\n`),
    onExchange: (e: Exchange) => {
      // A status URL comes from the server's Location header.
      const url = escaped(shortened(e.url));
      io.stderr.write(`debug: ${e.method} ${url} → ${e.status} in ${Math.round(e.durationMs)} ms${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}\n`);
    },
  };
}

/** Keeps a lookup's URL (up to 100 ids) to a line: its start and its end, where the query's last parameters are. */
function shortened(url: string, keep = 120): string {
  return url.length <= 2 * keep + 1 ? url : `${url.slice(0, keep)}…${url.slice(-keep)}`;
}
