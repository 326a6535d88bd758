/**
 * The creates over real HTTP, against a scripted server for what the emulator
 * does not do on demand: a create whose answer is lost (a 502 after it may
 * have been carried out) is looked up once, and said to exist only if it does.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createAll } from "../../src/restore/execute.js";
import { WaylayClient } from "../../src/waylay/client.js";
import { Transport } from "../../src/waylay/transport.js";
import { scriptedServer } from "../helpers/scripted-server.js";

const test = suite("restore: the creates");

test("a lost answer: looked up once; there, it exists; not there, it failed, and its child is not attempted", async () => {
  const server = await scriptedServer((req) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "POST") return { status: 502, body: { statusCode: 502, error: "Bad Gateway" } };
    const id = url.searchParams.get("id");
    const values = id === "landed" ? [{ id: "landed" }] : [];
    return { status: 200, body: { values, skip: 0, limit: 100, total: values.length } };
  });
  try {
    const api = new WaylayClient(new Transport({ endpoint: server.url, minRetryDelayMs: 1, maxRetryDelayMs: 5 }));
    const recorded: string[] = [];
    const outcomes = await createAll(
      api,
      {
        resourceTypes: new Map(),
        resources: new Map([
          ["landed", { id: "landed" }],
          ["lost", { id: "lost" }],
          ["child", { id: "child", parentId: "lost" }],
        ]),
      },
      { concurrency: 1, onCreated: (_kind, ids) => recorded.push(...ids) },
    );
    assert.equal(
      outcomes.map((o) => [o.id, o.outcome]),
      [
        ["landed", "exists"],
        ["lost", "failed"],
        ["child", "skipped"],
      ],
    );
    assert.match((outcomes[0] as { message: string }).message, "the answer to its create was lost");
    assert.match((outcomes[1] as { message: string }).message, "502");
    assert.equal(recorded, [], "nothing is recorded as created that decom did not see created");
    // One POST each (a create is not retried on a 502: it may have been carried out), one lookup each.
    assert.equal(
      server.requests.map((r) => r.method),
      ["POST", "GET", "POST", "GET"],
    );
  } finally {
    await server.close();
  }
});

test.run();
