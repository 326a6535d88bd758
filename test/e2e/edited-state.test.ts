/**
 * A state file is reviewed and edited in git like any file: what it says is
 * data, never an address decom sends credentials to.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { scriptedServer } from "../helpers/scripted-server.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: an edited state file");

test("an in-flight batch whose status URL names another host is followed on the endpoint, and credentials go nowhere else", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 2)) });
  const elsewhere = await scriptedServer(() => ({ status: 404, body: { statusCode: 404, error: "not here" } }));
  const { dir, remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]) });
  try {
    const state = {
      endpoint: emulator.url,
      inFlight: [
        {
          batchId: "lost-batch",
          cascade: [],
          ids: { "dev-0001": "id" },
          kind: "resource",
          statusUrl: `${elsewhere.url}/steal`,
          submitted: "2026-01-01T00:00:00.000Z",
        },
      ],
      lineage: "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d",
      resourceTypes: {},
      resources: {},
      serial: 1,
      version: 1,
    };
    writeFileSync(join(dir, "decom.state.json"), JSON.stringify(state, null, 2) + "\n");
    const env = { WAYLAY_API_KEY: "key", WAYLAY_API_SECRET: "secret" };
    await decom(["plan", "--unacknowledged-grace", "1s"], { cwd: dir, endpoint: emulator.url, env });
    assert.equal(elsewhere.requests, [], "nothing, and no credentials, sent to the host the state named");
    assert.ok(
      emulator.requests.some((r) => r.method === "GET" && r.path === "/resources/v1/batch/lost-batch"),
      "the batch was looked up on the endpoint",
    );
  } finally {
    remove();
    await elsewhere.close();
    await emulator.close();
  }
});

test.run();
