/**
 * No test, and no library caller with its own environment, reads a home folder
 * it was not given: a Waylay SDK profile found there would send its token to
 * whatever the run talks to (issue 9). The home `os.homedir()` reports is
 * pointed at a poisoned one for the duration, so a leak shows here rather than
 * reading the developer's real profile.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir, tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { plan } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { DEFAULT_PROFILE, profilePath, readProfile } from "../../src/waylay/profile.js";
import { runDecom } from "../helpers/child.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const POISON_TOKEN = "poisoned-token-from-the-developers-home";
/** The developer's home folder, before any test points HOME elsewhere. */
const REAL_HOMES = [userInfo().homedir, process.env.HOME ?? homedir()];

interface Context {
  emulator: Emulator;
  poison: { url: string; requests: number; close(): Promise<void> };
  /** Authorization headers every HTTP server in this process received. */
  authorizations: string[];
  dir: string;
  remove: () => void;
  restore: () => void;
}

const test = suite<Context>("e2e: no home folder but the one given");

/** A loopback gateway that only counts what reaches it. */
async function poisonServer(): Promise<Context["poison"]> {
  const server = createServer((_req, res) => {
    poison.requests++;
    res.writeHead(500).end();
  });
  const poison = {
    url: "",
    requests: 0,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  poison.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return poison;
}

/** Points HOME (and XDG_CONFIG_HOME) of this process at a fresh folder; returns how to undo it. */
function fakeProcessHome(): { home: string; restore: () => void } {
  const home = mkdtempSync(join(tmpdir(), "decom-fake-home-"));
  const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
  process.env.HOME = home;
  process.env.XDG_CONFIG_HOME = join(home, ".config");
  return {
    home,
    restore: () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed: world(devices("dev", 3)) });
  ctx.poison = await poisonServer();
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]) }));
  const fake = fakeProcessHome();
  // The SDK's default profile, where the process's own home folder holds it.
  const path = profilePath(DEFAULT_PROFILE, process.env)!;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    JSON.stringify({
      credentials: { type: "token", token: POISON_TOKEN, gateway_url: ctx.poison.url },
      profile: DEFAULT_PROFILE,
      settings: {},
    }),
  );
  ctx.authorizations = [];
  const onRequest = (message: unknown) =>
    ctx.authorizations.push((message as { request: IncomingMessage }).request.headers.authorization ?? "");
  subscribe("http.server.request.start", onRequest);
  ctx.restore = () => {
    unsubscribe("http.server.request.start", onRequest);
    fake.restore();
  };
});
test.after.each(async (ctx) => {
  ctx.restore();
  await ctx.emulator.close();
  await ctx.poison.close();
  ctx.remove();
});

test("the poisoned profile is where the process's own home would find it (so the tests below can fail)", ({ poison }) => {
  assert.is(readProfile(DEFAULT_PROFILE, process.env, true)?.gatewayUrl, poison.url);
});

test("plan({ env }) reads no profile from the process's home: no request to its gateway, no token sent", async ({
  emulator,
  poison,
  authorizations,
  dir,
}) => {
  const made = await plan({ cwd: dir, env: { WAYLAY_GATEWAY_URL: emulator.url } });
  assert.is(made.changes.length, 1);
  assert.ok(emulator.requests.length > 0);
  assert.is(poison.requests, 0, "nothing reached the profile's gateway");
  assert.equal(
    authorizations.filter((a) => a !== ""),
    [],
    "no Authorization header was sent anywhere",
  );
});

test("the in-process CLI of the tests reads no profile from the process's home", async ({ emulator, poison, authorizations, dir }) => {
  const result = await decom(["plan", "--debug"], { cwd: dir, endpoint: emulator.url });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stderr, "no credentials");
  assert.is(poison.requests, 0);
  assert.equal(
    authorizations.filter((a) => a !== ""),
    [],
  );
});

test("a profile asked for by name, with an env that names no home, is an error saying so; nothing is sent", async ({
  emulator,
  poison,
  dir,
}) => {
  const err = await plan({ cwd: dir, env: { WAYLAY_GATEWAY_URL: emulator.url }, profile: DEFAULT_PROFILE }).catch((e: unknown) => e);
  assert.instance(err, Error);
  assert.match((err as Error).message, `Waylay profile "${DEFAULT_PROFILE}": no home folder is set`);
  assert.is(emulator.requests.length + poison.requests, 0);
});

test("a decom spawned by the tests has a temporary home, not the real one", async ({ emulator, dir }) => {
  // The error for a missing profile names where decom looked.
  const result = await runDecom(["plan", "--profile", "probe"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
  assert.is(result.code, 1);
  const looked = /no such file (\S+)/.exec(result.stderr)?.[1] ?? "";
  assert.ok(looked.startsWith(tmpdir()) || looked.startsWith(realpathSync(tmpdir())), `looked in ${looked}`);
  for (const real of REAL_HOMES) assert.not.ok(looked.startsWith(`${real}/`), `looked in ${looked}, under ${real}`);
  assert.is(emulator.requests.length, 0);
});

test.run();
