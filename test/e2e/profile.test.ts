/** Waylay SDK profiles: SDK users need no new setup; flag > environment > profile. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { assertOneLine, decom, manifestYaml, workspace } from "../helpers/decom.js";
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
  saveProfile(ctx.config, "prod", {
    type: "client_credentials",
    api_key: key,
    api_secret: secret,
    gateway_url: ctx.emulator.url,
    accounts_url: null,
  });
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
  const wrong = await decom(["plan", "--profile", "prod"], {
    cwd: dir,
    env: { XDG_CONFIG_HOME: config, WAYLAY_API_KEY: "other", WAYLAY_API_SECRET: "other" },
  });
  assert.is(wrong.code, 1, "WAYLAY_API_KEY/SECRET from the environment were used, not the profile's");
  assert.match(wrong.stderr, "401 Unauthorized from");
  assert.match(wrong.stderr, "the credentials from WAYLAY_API_KEY/WAYLAY_API_SECRET were not accepted");
  saveProfile(config, "eu", { type: "client_credentials", api_key: key, api_secret: secret, gateway_url: "api-eu.example.com" });
  const elsewhere = await decom(["plan", "--profile", "eu", "--endpoint", emulator.url], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
  assert.is(elsewhere.code, 0, elsewhere.stderr);
  assert.match(
    elsewhere.stderr,
    `warning: the credentials of profile "eu" (for https://api-eu.example.com) are used with ${emulator.url} (from --endpoint)`,
  );
});

test("a named profile that does not exist is an error naming the file", async ({ dir, config }) => {
  const result = await decom(["plan", "--profile", "staging"], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
  assert.is(result.code, 1);
  assert.match(result.stderr, `Waylay profile "staging": no such file ${join(config, "Waylay", "python_sdk", ".profile.staging.json")}`);
});

test("a profile name is a name, not a path: one naming another folder is refused before anything is read", async ({ dir, config }) => {
  mkdirSync(join(config, "elsewhere"), { recursive: true });
  writeFileSync(join(config, "elsewhere", "x.json"), JSON.stringify({ credentials: { type: "token", token: "stolen" } }));
  for (const name of ["../../../elsewhere/x", "a/b", "a\\b", ".."]) {
    const result = await decom(["plan", "--profile", name], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
    assertOneLine(result, `error: Waylay profile ${JSON.stringify(name)}: a profile name such as production is expected, not a path`);
  }
  const fromEnvironment = await decom(["plan"], { cwd: dir, env: { XDG_CONFIG_HOME: config, WAYLAY_PROFILE: "../../../elsewhere/x" } });
  assert.match(fromEnvironment.stderr, "a profile name such as production is expected, not a path");
});

function profileFile(config: string, name: string): string {
  return join(config, "Waylay", "python_sdk", `.profile.${name}.json`);
}

test("a profile that is not JSON is an error naming the file, the line and the problem", async ({ dir, config }) => {
  writeFileSync(profileFile(config, "prod"), '{\n  "credentials": {\n    "type": "token",\n  }\n}\n');
  const result = await decom(["plan", "--profile", "prod"], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
  assertOneLine(
    result,
    `error: Waylay profile "prod": ${profileFile(config, "prod")} is not JSON (line 4, column 3): Expected double-quoted property name`,
  );
});

test("a profile without credentials decom understands says what it lacks, rather than asking for environment variables", async ({
  emulator,
  dir,
  config,
}) => {
  const path = profileFile(config, "prod");
  const cases: [unknown, string][] = [
    [
      { credentials: { type: "oauth2", client_id: "x", gateway_url: emulator.url } },
      'has credentials of type "oauth2", which decom does not understand ' +
        "(it reads client_credentials and application_credentials with api_key and api_secret, or token with token)",
    ],
    [
      { credentials: { type: "client_credentials", api_key: key, gateway_url: emulator.url } },
      "has no api_secret (its credentials are of type client_credentials, which needs api_key and api_secret)",
    ],
    [{ credentials: { type: "token", gateway_url: emulator.url } }, "has no token (its credentials are of type token)"],
    [{ profile: "prod", settings: {} }, 'has no "credentials" object'],
    [[], "is not a JSON object (it holds an array)"],
    [[1, 2], "is not a JSON object (it holds an array)"],
    ["text", "is not a JSON object (it holds a string)"],
    [null, "is not a JSON object (it holds null)"],
  ];
  for (const [content, problem] of cases) {
    writeFileSync(path, JSON.stringify(content));
    const result = await decom(["plan", "--profile", "prod", "--endpoint", "https://api.example.com"], {
      cwd: dir,
      env: { XDG_CONFIG_HOME: config },
    });
    assertOneLine(result, `error: Waylay profile "prod": ${path} ${problem}`);
  }
  // Credentials from the environment need none from the profile: its gateway alone is used.
  writeFileSync(path, JSON.stringify({ credentials: { type: "oauth2", gateway_url: emulator.url } }));
  const fromEnv = await decom(["plan", "--profile", "prod"], {
    cwd: dir,
    env: { XDG_CONFIG_HOME: config, WAYLAY_API_KEY: key, WAYLAY_API_SECRET: secret },
  });
  assert.is(fromEnv.code, 0, fromEnv.stderr);
});

test("a profile that cannot be read says why, naming the file", async ({ dir, config }) => {
  mkdirSync(profileFile(config, "staging"));
  const result = await decom(["plan", "--profile", "staging"], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
  assertOneLine(result, `error: Waylay profile "staging": ${profileFile(config, "staging")}: it is a directory, not a file`);
});

test.run();
