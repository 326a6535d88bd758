/**
 * Flag parsing on node:util parseArgs, strict: an unknown flag is an error that
 * names the closest valid one, and nothing runs.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { fail } from "../diagnostics.js";
import { closest } from "../text/closest.js";
import { NOT_YET_FLAGS, notYet } from "./not-yet.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

type Parsed<O extends OptionSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>;

export function parseCommandArgs<O extends OptionSpec>(command: string, args: string[], options: O, maxPositionals: number): Parsed<O> {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const flag = unknown.replace(/=.*/, "");
      const meanwhile = NOT_YET_FLAGS.get(flag);
      if (meanwhile !== undefined) fail("usage.not-yet", `decom ${command}: ${notYet(flag, meanwhile)}`);
      const names = Object.keys(options).map((name) => `--${name}`);
      const suggestion = closest(flag, names);
      fail("usage.unknown-flag", `decom ${command}: unknown flag ${unknown}${suggestion ? ` (did you mean ${suggestion}?)` : ""}; see decom ${command} --help`);
    }
    fail("usage.invalid", `decom ${command}: ${message.split("\n")[0]}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    fail("usage.extra-argument", `decom ${command}: unexpected argument "${parsed.positionals[maxPositionals]}"; see decom ${command} --help`);
  }
  return parsed;
}

export function positiveInt(command: string, flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) fail("usage.invalid", `decom ${command}: ${flag} must be a positive integer, got "${raw}"`);
  return value;
}

/** Which manifest and state file a command works on. */
export const FILE_OPTIONS = {
  manifest: { type: "string", short: "f" },
  state: { type: "string" },
} as const;

/** Flags every command that reads a manifest and talks to a tenant accepts. */
export const TENANT_OPTIONS = {
  ...FILE_OPTIONS,
  endpoint: { type: "string" },
  profile: { type: "string" },
  json: { type: "boolean" },
  debug: { type: "boolean" },
  "no-color": { type: "boolean" },
} as const;

export const TENANT_HELP = `  -f, --manifest FILE     manifest (default: decom.yaml)
      --state FILE        state file (default: decom.state.json beside the manifest)
      --endpoint URL      Waylay gateway (default: $WAYLAY_GATEWAY_URL, else the
                          profile's, else https://api.waylay.io)
      --profile NAME      Waylay SDK profile for gateway and credentials
                          (default: $WAYLAY_PROFILE, else the SDK's default profile)
      --json              one JSON object per line (schemas/events.schema.json)
      --debug             trace every HTTP request (credentials never shown)
      --no-color          no colour, even on a terminal`;

/** `--help` is answered by the dispatcher; commands only need to accept it. */
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/** `30`, `30s`, `500ms`, `2m`: a duration in milliseconds. Plain numbers are seconds. */
export function duration(command: string, flag: string, raw: string | undefined, fallbackMs: number): number {
  if (raw === undefined) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!match) fail("usage.invalid", `decom ${command}: ${flag} must be a duration such as 30s, 500ms or 2m, got "${raw}"`);
  const value = Number(match[1]);
  return Math.round(match[2] === "ms" ? value : match[2] === "m" ? value * 60_000 : value * 1000);
}

/** Timeouts for following batches and for each request; plan resumes with them too. */
export const TIMEOUT_OPTIONS = {
  "request-timeout": { type: "string" },
  "batch-timeout": { type: "string" },
  "unacknowledged-grace": { type: "string" },
} as const;

export const TIMEOUT_HELP = `      --request-timeout T one HTTP request, per attempt (default: 30s)
      --batch-timeout T   following one batch before leaving it in flight for
                          the next run (default: 30m)
      --unacknowledged-grace T
                          how long to watch the ids of a batch whose 202 was lost
                          before submitting the ids still there again (default: 60s)`;

export interface Timeouts {
  requestTimeoutMs: number;
  batchTimeoutMs: number;
  unacknowledgedGraceMs: number;
}

export function timeouts(command: string, values: { "request-timeout"?: string | undefined; "batch-timeout"?: string | undefined; "unacknowledged-grace"?: string | undefined }): Timeouts {
  return {
    requestTimeoutMs: duration(command, "--request-timeout", values["request-timeout"], 30_000),
    batchTimeoutMs: duration(command, "--batch-timeout", values["batch-timeout"], 30 * 60_000),
    unacknowledgedGraceMs: duration(command, "--unacknowledged-grace", values["unacknowledged-grace"], 60_000),
  };
}
