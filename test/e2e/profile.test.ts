/** Waylay SDK profiles: SDK users need no new setup; flag > environment > profile. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; config: string; remove: () => void }>("e2e: Waylay SDK profiles");
const key = "a1b2c3d4e5f6a1b2c3d4e5f6";
const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0";

/** What the Waylay Python SDK writes: WaylayConfig.save() under user_config_dir("Waylay")/python_sdk. */
function saveProfile(config: string, name: string, credentials: Record<string, unknown>): void {
  const dir = join(config, "Waylay", "python_sdk");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `.profile.${name}.json`), JSON.stringify({ credentials, profile: name, settings: {} }));
}

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed: world(devices("dev", 3)), credentials: { kind: "basic", apiKey: key, apiSecret: secret } });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]) }));
  ctx.config = join(ctx.dir, "config");
  saveProfile(ctx.config, "prod", { type: "client_credentials", api_key: key, api_secret: secret, gateway_url: ctx.emulator.url, accounts_url: null });
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

test("--profile reads the SDK's profile file and authenticates with it", async ({ emulator, dir, config }) => {
  const plan = await decom(["plan", "--profile", "prod", "--debug"], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, "Plan: 1 to delete, 0 already absent, 0 to forget.");
  assert.match(plan.stderr, `debug: endpoint ${emulator.url} (from profile "prod"); API key a1b2… (from profile "prod")`);
  assert.not.match(plan.stderr, secret, "the secret is never shown");
  assert.ok(emulator.requests.length > 0);
});

test("WAYLAY_PROFILE selects it too; the SDK's default profile is used when nothing is said", async ({ dir, config }) => {
  assert.is((await decom(["plan"], { cwd: dir, env: { XDG_CONFIG_HOME: config, WAYLAY_PROFILE: "prod" } })).code, 0);
  const emulator = await startEmulator({ seed: world(devices("dev", 3)), credentials: { kind: "bearer", token: "jwt-token" } });
  try {
    saveProfile(config, "_default_", { type: "token", token: "jwt-token", gateway_url: emulator.url.replace("http://", "http://") });
    const plan = await decom(["plan"], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
    assert.is(plan.code, 0, plan.stderr);
  } finally {
    await emulator.close();
  }
});

test("the environment wins over the profile, a flag over both", async ({ emulator, dir, config }) => {
  const wrong = await decom(["plan", "--profile", "prod"], { cwd: dir, env: { XDG_CONFIG_HOME: config, WAYLAY_API_KEY: "other", WAYLAY_API_SECRET: "other" } });
  assert.is(wrong.code, 1, "WAYLAY_API_KEY/SECRET from the environment were used, not the profile's");
  assert.match(wrong.stderr, "401 Unauthorized from");
  assert.match(wrong.stderr, "the credentials from WAYLAY_API_KEY/WAYLAY_API_SECRET were not accepted");
  saveProfile(config, "eu", { type: "client_credentials", api_key: key, api_secret: secret, gateway_url: "api-eu.example.com" });
  const elsewhere = await decom(["plan", "--profile", "eu", "--endpoint", emulator.url], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
  assert.is(elsewhere.code, 0, elsewhere.stderr);
  assert.match(elsewhere.stderr, `warning: the credentials of profile "eu" (for https://api-eu.example.com) are used with ${emulator.url} (from --endpoint)`);
});

test("a named profile that does not exist is an error naming the file", async ({ dir, config }) => {
  const result = await decom(["plan", "--profile", "staging"], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
  assert.is(result.code, 1);
  assert.match(result.stderr, `Waylay profile "staging": no such file ${join(config, "Waylay", "python_sdk", ".profile.staging.json")}`);
});

test.run();
