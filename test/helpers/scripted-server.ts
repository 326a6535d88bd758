/**
 * A loopback HTTP server that answers from a script, for transport behaviour the
 * emulator does not produce on demand (a given status sequence, odd headers).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ScriptedServer {
  url: string;
  requests: { method: string; url: string; authorization?: string }[];
  close(): Promise<void>;
}

/** `port`: a given one, e.g. to come back where a closed server was (0, the default, picks a free one). */
export async function scriptedServer(
  answers: ScriptedAnswer[] | ((req: IncomingMessage) => ScriptedAnswer),
  port = 0,
): Promise<ScriptedServer> {
  const requests: ScriptedServer["requests"] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      const answer =
        typeof answers === "function"
          ? answers(req)
          : (answers.shift() ?? { status: 500, body: { statusCode: 500, error: "script exhausted" } });
      const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
