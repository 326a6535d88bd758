/**
 * Profiles of the Waylay Python SDK, so its users need no new setup: the SDK
 * stores `<user config dir>/Waylay/python_sdk/.profile.<name>.json` holding the
 * credentials (api key and secret, or a token) and the gateway URL. The user
 * config dir is appdirs' `user_config_dir("Waylay")`, computed here the same way.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { fail } from "../diagnostics.js";
import { localDisk } from "../files/disk.js";
import { fsReason, isMissing } from "../files/fs-error.js";
import { jsonSyntaxError } from "../files/json-syntax.js";
import { quoted } from "../text/escape.js";
import type { Credentials } from "./auth.js";

export const DEFAULT_PROFILE = "_default_";

export interface Profile {
  name: string;
  path: string;
  gatewayUrl?: string;
  credentials?: Credentials;
  /** Why `credentials` is missing (`has no api_secret …`): said when the profile must supply them. */
  credentialsProblem?: string;
}

/**
 * The SDK's config folder, from the home `env` names (HOME, USERPROFILE,
 * XDG_CONFIG_HOME, LOCALAPPDATA); undefined when it names none. The process's
 * own home folder (`os.homedir()`) is asked only when `env` is `process.env`:
 * a caller passing an environment of its own, as tests do, must never have the
 * developer's profile, and so its token, read behind its back.
 */
export function waylayConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const home = env.HOME || env.USERPROFILE || (env === process.env ? homedir() : undefined);
  if (platform === "darwin") return under(home, "Library", "Application Support", "Waylay");
  if (platform === "win32") return under(env.LOCALAPPDATA || under(home, "AppData", "Local"), "Waylay", "Waylay");
  return under(env.XDG_CONFIG_HOME || under(home, ".config"), "Waylay");
}

export function profilePath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return under(waylayConfigDir(env), "python_sdk", `.profile.${name}.json`);
}

/** The profile, or undefined when it does not exist (or no home is known) and was not asked for by name. */
export function readProfile(name: string, env: NodeJS.ProcessEnv, required: boolean): Profile | undefined {
  // The name becomes part of a file name: one with a separator (or `..`) would read a file elsewhere.
  if (/[/\\]/.test(name) || name === "." || name === "..") {
    return fail(
      "profile.invalid-name",
      `Waylay profile ${JSON.stringify(name)}: a profile name such as production is expected, not a path`,
    );
  }
  const path = profilePath(name, env);
  if (path === undefined) {
    if (!required) return undefined;
    return fail(
      "profile.unreadable",
      `Waylay profile "${name}": no home folder is set in the environment decom was given (HOME or XDG_CONFIG_HOME), ` +
        "so there is no profile to read",
    );
  }
  let text: string;
  try {
    text = localDisk.readBytes(path).toString("utf8");
  } catch (err) {
    if (isMissing(err) && !required) return undefined;
    const why = isMissing(err) ? `no such file ${path}` : `${path}: ${fsReason(err) ?? String(err)}`;
    return fail("profile.unreadable", `Waylay profile "${name}": ${why}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const { line, column, problem } = jsonSyntaxError(text, err);
    return fail("profile.invalid", `Waylay profile "${name}": ${path} is not JSON (line ${line}, column ${column}): ${problem}`);
  }
  const c = isObject(data) && isObject(data.credentials) ? data.credentials : undefined;
  const profile: Profile = { name, path };
  if (typeof c?.gateway_url === "string" && c.gateway_url !== "") {
    profile.gatewayUrl = /^https?:\/\//.test(c.gateway_url) ? c.gateway_url : `https://${c.gateway_url}`;
  }
  const credentials = !isObject(data)
    ? `is not a JSON object (it holds ${jsonKind(data)})`
    : c
      ? readCredentials(c)
      : 'has no "credentials" object';
  if (typeof credentials === "string") profile.credentialsProblem = credentials;
  else profile.credentials = credentials;
  return profile;
}

/** The SDK's credentials object, or why decom cannot use it. */
function readCredentials(c: Record<string, unknown>): Credentials | string {
  const missing = (field: string) => typeof c[field] !== "string" || c[field] === "";
  if (c.type === "client_credentials" || c.type === "application_credentials") {
    const lacking = ["api_key", "api_secret"].filter(missing);
    if (lacking.length > 0)
      return `has no ${lacking.join(" and no ")} (its credentials are of type ${c.type}, which needs api_key and api_secret)`;
    return { kind: "basic", apiKey: c.api_key as string, apiSecret: c.api_secret as string };
  }
  if (c.type === "token")
    return missing("token") ? "has no token (its credentials are of type token)" : { kind: "bearer", token: c.token as string };
  const type = typeof c.type === "string" ? `of type ${quoted(c.type)}` : "without a type";
  return (
    `has credentials ${type}, which decom does not understand ` +
    "(it reads client_credentials and application_credentials with api_key and api_secret, or token with token)"
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a JSON value is, for a message: `an array`, `a string`, `null`. */
function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function under(dir: string | undefined, ...parts: string[]): string | undefined {
  return dir ? join(dir, ...parts) : undefined;
}
