/**
 * A wrong endpoint fails at once with one line naming it and the cause; a
 * failure that may pass says on stderr that decom is retrying, and for how long.
 */
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { assertOneLine, decom, manifestYaml, workspace } from "../helpers/decom.js";
import { scriptedServer } from "../helpers/scripted-server.js";
import { oneDeviceSuite, withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";

const test = oneDeviceSuite("e2e: unreachable endpoints");

test.before(async () => {
  // Loads the command's modules, so the timings below measure decom, not the first import.
  const { dir, remove } = workspace();
  await decom(["plan", "--help"], { cwd: dir });
  remove();
});

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

test("https:// against the plain-HTTP emulator fails in under 3 s with one line naming TLS", async ({ emulator, dir }) => {
  const endpoint = emulator.url.replace("http://", "https://");
  const [result, ms] = await timed(() => decom(["plan", "--endpoint", endpoint], { cwd: dir }));
  assertOneLine(result, `error: ${endpoint} does not speak TLS (is it plain http://?)`);
  assert.ok(ms < 3000, `took ${Math.round(ms)} ms`);
});

test("a port fetch never connects to, or no port at all, is refused before any request, in under 3 s", async ({ dir }) => {
  const cases: [string, string][] = [
    ["http://127.0.0.1:1", 'error: --endpoint: port 1 is one that fetch refuses to connect to ("bad port"); use another port'],
    ["http://[::1]:1", 'error: --endpoint: port 1 is one that fetch refuses to connect to ("bad port"); use another port'],
    ["http://127.0.0.1:99999", 'error: --endpoint: "http://127.0.0.1:99999" is not a URL: the port must be a number from 1 to 65535'],
    ["http://127.0.0.1:abc", 'error: --endpoint: "http://127.0.0.1:abc" is not a URL: the port must be a number from 1 to 65535'],
  ];
  for (const [endpoint, expected] of cases) {
    const [result, ms] = await timed(() => decom(["plan", "--endpoint", endpoint], { cwd: dir }));
    assertOneLine(result, expected);
    assert.ok(ms < 3000, `${endpoint} took ${Math.round(ms)} ms`);
  }
});

test("a refused connection before anything answered: a retry notice within 2 s, then one error line, in under 3 s", async ({ dir }) => {
  const closed = await scriptedServer([]);
  await closed.close();
  const host = new URL(closed.url).host;
  let noticeAt: number | undefined;
  const started = performance.now();
  const result = await decom(["plan", "--endpoint", closed.url], {
    cwd: dir,
    onStderr: (t) => (noticeAt ??= t.startsWith("warning:") ? performance.now() : undefined),
  });
  const ms = performance.now() - started;
  assert.is(result.code, 1);
  assert.is(result.stdout, "");
  assert.equal(result.stderr.trimEnd().split("\n"), [
    `warning: connection refused by ${host}; nothing has answered there yet, so retrying for up to 2s`,
    `error: nothing is listening at ${closed.url} (connection refused)`,
  ]);
  assert.ok(
    noticeAt !== undefined && noticeAt - started < 2000,
    `the notice came after ${Math.round((noticeAt ?? Infinity) - started)} ms`,
  );
  assert.ok(ms < 3000, `took ${Math.round(ms)} ms`);
});

test("a 401 fails at once naming the endpoint and where the credentials came from", async ({ dir }) => {
  const emulator = await startEmulator({ seed: world(devices("dev", 3)), credentials: { kind: "bearer", token: "right" } });
  try {
    const result = await decom(["plan", "--endpoint", emulator.url], { cwd: dir, env: { WAYLAY_TOKEN: "wrong" } });
    assert.is(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
    assert.match(
      result.stderr,
      `error: 401 Unauthorized from ${emulator.url}: the credentials from WAYLAY_TOKEN were not accepted; check them`,
    );
    assert.not.match(result.stderr, "wrong");
    assert.is(emulator.requests.length, 1, "not retried");
  } finally {
    await emulator.close();
  }
});

/** 30 devices behind the token "right", planned with it into plan.json in batches of 5. */
async function plannedWithRightToken(dir: string): Promise<Emulator> {
  const emulator = await startEmulator({ seed: world(devices("dev", 30)), credentials: { kind: "bearer", token: "right" } });
  const ids = Array.from({ length: 30 }, (_, i) => `dev-${String(i + 1).padStart(4, "0")}`);
  writeFileSync(`${dir}/decom.yaml`, manifestYaml(ids));
  const planned = await decom(["plan", "--out", "plan.json", "--batch-size", "5", "--endpoint", emulator.url], {
    cwd: dir,
    env: { WAYLAY_TOKEN: "right" },
  });
  assert.is(planned.code, 0, planned.stderr);
  return emulator;
}

test("apply plan.json with refused credentials: the first refusal stops the apply; the rest is not sent", async ({ dir }) => {
  const emulator = await plannedWithRightToken(dir);
  try {
    const before = emulator.count("POST");
    // Without the archive, the first request apply sends is a POST.
    const result = await decom(["apply", "plan.json", "--parallelism", "1", "--no-archive", "--endpoint", emulator.url], {
      cwd: dir,
      env: { WAYLAY_TOKEN: "wrong" },
    });
    assert.is(result.code, 1);
    assert.is(emulator.count("POST") - before, 1, "one refusal is enough: the other 5 batches are not sent");
    assert.match(result.stderr, "401 Unauthorized");
    assert.match(result.stdout, "25 ids not submitted");
    assert.is(emulator.tenant.resources.size, 30);
  } finally {
    await emulator.close();
  }
});

test("apply plan.json with refused credentials, archiving: the document fetch is refused first, and nothing is POSTed", async ({ dir }) => {
  const emulator = await plannedWithRightToken(dir);
  try {
    const result = await decom(["apply", "plan.json", "--parallelism", "1", "--endpoint", emulator.url], {
      cwd: dir,
      env: { WAYLAY_TOKEN: "wrong" },
    });
    assert.is(result.code, 1);
    assert.is(emulator.count("POST"), 0);
    assert.match(result.stderr, /not archived: a batch of 5 ids was not sent, nor any after it: .*401 Unauthorized/);
    assert.match(result.stdout, "30 ids not submitted");
    assert.is(emulator.tenant.resources.size, 30);
  } finally {
    await emulator.close();
  }
});

test("apply through a rate-limited gateway: one retry notice on stderr, the progress on stdout untouched", async () => {
  const fleet = devices("dev", 40, "legacy");
  return withEmulator(
    { seed: world(fleet), faults: { rateLimitRate: 0.3, retryAfterSeconds: 0, seed: 7 } },
    // Guarded: the retry notice is then the one thing on stderr.
    {
      "decom.yaml": manifestYaml(
        fleet.map((d) => d.id),
        [],
        "guard:\n  maxDeletes: 40",
      ),
    },
    async ({ emulator, dir }) => {
      const apply = await decom(["apply", "--auto-approve", "--batch-size", "5", "--parallelism", "2"], {
        cwd: dir,
        endpoint: emulator.url,
      });
      assert.is(apply.code, 0, apply.stdout + apply.stderr);
      assert.match(apply.stdout, "Apply complete: 40 deleted, 0 absent, 0 failed.");
      assert.not.match(apply.stdout, "warning");
      const notices = apply.stderr.trimEnd().split("\n");
      assert.is(notices.length, 1, `one notice for the whole run: ${apply.stderr}`);
      assert.match(
        notices[0]!,
        new RegExp(
          `^warning: ${new URL(emulator.url).host} answered 429 \\(too many requests\\); ` +
            "retrying for up to (\\d+m )?\\d+s \\(attempt 2 of 11\\)$",
        ),
      );
    },
  );
});

test.run();
