/**
 * An error about a request quotes its URL as --debug does: a lookup of 60 ids
 * is one readable line, shortened in the middle. And it says what to do: an
 * endpoint with a path that answers 404 is named as the likely cause; a
 * Retry-After longer than decom waits is named as the reason it stopped.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { decom, manifestYaml } from "../helpers/decom.js";
import { oneDeviceSuite } from "../helpers/emulator-suite.js";
import { scriptedServer } from "../helpers/scripted-server.js";

const test = oneDeviceSuite("e2e: errors about a request");
const ghosts = Array.from({ length: 60 }, (_, i) => `ghost-${String(i + 1).padStart(4, "0")}`);

/** The URL the --debug line shows for the request that answered `status`. */
function debugUrl(stderr: string, status: number): string {
  const line = stderr.split("\n").find((l) => l.startsWith("debug: GET ") && l.includes(` → ${status} in `));
  assert.ok(line, `a --debug line for the ${status}:\n${stderr}`);
  return line!.slice("debug: GET ".length, line!.indexOf(` → ${status} in `));
}

test("an endpoint with a path that answers 404: one line, the URL as --debug shows it, naming the path and the gateway's root", async ({
  emulator,
  dir,
}) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(ghosts));
  const endpoint = `${emulator.url}/resources`;
  const result = await decom(["plan", "--endpoint", endpoint, "--debug"], { cwd: dir });
  assert.is(result.code, 1);
  assert.is(result.stdout, "");
  const errors = result.stderr.split("\n").filter((l) => l.startsWith("error:"));
  assert.is(errors.length, 1, result.stderr);
  const url = debugUrl(result.stderr, 404);
  assert.match(url, "…", "--debug shortens the lookup's URL");
  assert.is(
    errors[0],
    `error: GET ${url} answered 404: No route for GET /resources/resources/v1/resources in the decom emulator; ` +
      `the endpoint has a path (/resources) and decom adds /resources/v1/… itself: give the gateway's root, e.g. ${emulator.url}`,
  );
  assert.ok(errors[0]!.length < 500, `one readable line (${errors[0]!.length} characters)`);
});

test("an endpoint without a path that answers 404 gets no such hint", async ({ dir }) => {
  const server = await scriptedServer(() => ({ status: 404, body: { statusCode: 404, error: "Not Found" } }));
  try {
    const result = await decom(["plan", "--endpoint", server.url], { cwd: dir });
    assert.is(
      result.stderr,
      `error: GET ${server.url}/resources/v1/resources?id=dev-0001&fields=id%2Cname%2CparentId%2CresourceTypeId&skip=0&limit=1 ` +
        "answered 404: Not Found\n",
    );
  } finally {
    await server.close();
  }
});

test("Retry-After: 3600 fails at once, saying the server asked for longer than decom waits, the URL shortened", async ({ dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(ghosts));
  const server = await scriptedServer(() => ({
    status: 429,
    body: { statusCode: 429, error: "Too Many Requests" },
    headers: { "retry-after": "3600" },
  }));
  try {
    const result = await decom(["plan", "--endpoint", server.url, "--debug"], { cwd: dir });
    assert.is(result.code, 1);
    assert.is(server.requests.length, 1, "not retried: decom will not wait an hour");
    const errors = result.stderr.split("\n").filter((l) => l.startsWith("error:"));
    assert.equal(errors, [
      `error: GET ${debugUrl(result.stderr, 429)} answered 429: Too Many Requests; ` +
        "it asked to wait 1h, and decom waits at most 2m for a Retry-After, so it stopped: run the command again later",
    ]);
    assert.not.match(result.stderr, "warning:", "no retry notice: nothing is retried");
  } finally {
    await server.close();
  }
});

test.run();
