/**
 * Flag parsing on node:util parseArgs, strict, behind decom's own check of the
 * words (checked-args.ts): every mistake is one line in decom's words, naming
 * the flag and the form it expects, and nothing runs.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEFAULT_BATCH_TIMEOUT_MS, DEFAULT_UNACKNOWLEDGED_GRACE_MS } from "../apply/execute.js";
import { fail } from "../diagnostics.js";
import { formatDuration } from "../text/duration.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../waylay/transport.js";
import { checkedArgs } from "./checked-args.js";
import { valueForm } from "./flag-forms.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

type Parsed<O extends OptionSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>;

/** Any error parseArgs still raises after checkedArgs is a disagreement between the two: a bug, shown as one. */
export function parseCommandArgs<O extends OptionSpec>(command: string, args: string[], options: O, maxPositionals: number): Parsed<O> {
  return parseArgs({ args: checkedArgs(command, args, options, maxPositionals), options, strict: true, allowPositionals: true });
}

export function positiveInt(command: string, flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1)
    fail("usage.invalid", `decom ${command}: ${flag} must be a positive integer such as ${flag} ${fallback}, got "${raw}"`);
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
      --state FILE        state file (default: X.state.json beside manifest X.yaml)
      --endpoint URL      Waylay gateway (default: $WAYLAY_GATEWAY_URL, else the
                          profile's, else https://api.waylay.io)
      --profile NAME      Waylay SDK profile for gateway and credentials
                          (default: $WAYLAY_PROFILE, else the SDK's default profile)
      --json              one JSON object per line (schemas/events.schema.json)
      --debug             trace every HTTP request (credentials never shown)
      --no-color          no colour, even on a terminal`;

/** `--help` is answered by the dispatcher; commands only need to accept it. */
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/** What a timer can wait: setTimeout fires at once for anything longer. */
const LONGEST_MS = 2 ** 31 - 1;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `500ms`, `30s`, `2m`, `1h`: a duration in milliseconds. A plain number is
 * refused rather than guessed at (seconds? milliseconds?), and so is zero,
 * which would time out every request at once.
 */
export function duration(command: string, flag: string, raw: string | undefined, fallbackMs: number): number {
  if (raw === undefined) return fallbackMs;
  const ms = durationMs(command, flag, raw);
  const example = `${flag} ${valueForm(flag.replace(/^--/, "")).example}`;
  if (ms < 1) fail("usage.invalid", `decom ${command}: ${flag} must be longer than zero, e.g. ${example}, got "${raw}"`);
  return ms;
}

/** A wait that may be none: a duration, or zero (`0`, `0s`: do not wait). */
export function waitDuration(command: string, flag: string, raw: string | undefined, fallbackMs: number): number {
  return raw === undefined ? fallbackMs : durationMs(command, flag, raw);
}

function durationMs(command: string, flag: string, raw: string): number {
  if (/^\d+(\.\d+)?$/.test(raw) && Number(raw) !== 0)
    fail("usage.invalid", `decom ${command}: ${flag} needs a unit: ${flag} ${raw}s (ms, s, m or h), got "${raw}"`);
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw);
  if (!match) fail("usage.invalid", `decom ${command}: ${flag} must be a duration such as 30s, 500ms, 2m or 1h, got "${raw}"`);
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] ?? "s"]!);
  if (ms > LONGEST_MS) fail("usage.invalid", `decom ${command}: ${flag} must be at most 596h, got "${raw}"`);
  return ms;
}

/** For the commands that take the state's lock. */
export const LOCK_OPTIONS = { "lock-timeout": { type: "string" } } as const;

export const LOCK_HELP = `      --lock-timeout T    wait up to T for a lock another decom holds, saying who
                          holds it (default: 0, fail at once naming the holder)`;

export function lockTimeout(command: string, raw: string | undefined): number {
  return waitDuration(command, "--lock-timeout", raw, 0);
}

/** Timeouts for following batches and for each request; plan resumes with them too. */
export const TIMEOUT_OPTIONS = {
  "request-timeout": { type: "string" },
  "batch-timeout": { type: "string" },
  "unacknowledged-grace": { type: "string" },
} as const;

const requestTimeoutDefault = formatDuration(DEFAULT_REQUEST_TIMEOUT_MS);
export const TIMEOUT_HELP = `      --request-timeout T one HTTP request, per attempt (default: ${requestTimeoutDefault})
      --batch-timeout T   following one batch before leaving it in flight for
                          the next run (default: ${formatDuration(DEFAULT_BATCH_TIMEOUT_MS)})
      --unacknowledged-grace T
                          how long to watch the ids of a batch whose 202 was lost
                          before submitting the ids still there again (default: ${formatDuration(DEFAULT_UNACKNOWLEDGED_GRACE_MS)})
                          T is a duration with its unit: 500ms, 30s, 2m or 1h`;

export interface Timeouts {
  requestTimeoutMs: number;
  batchTimeoutMs: number;
  unacknowledgedGraceMs: number;
}

export function timeouts(
  command: string,
  values: { "request-timeout"?: string | undefined; "batch-timeout"?: string | undefined; "unacknowledged-grace"?: string | undefined },
): Timeouts {
  return {
    requestTimeoutMs: duration(command, "--request-timeout", values["request-timeout"], DEFAULT_REQUEST_TIMEOUT_MS),
    batchTimeoutMs: duration(command, "--batch-timeout", values["batch-timeout"], DEFAULT_BATCH_TIMEOUT_MS),
    unacknowledgedGraceMs: duration(command, "--unacknowledged-grace", values["unacknowledged-grace"], DEFAULT_UNACKNOWLEDGED_GRACE_MS),
  };
}
