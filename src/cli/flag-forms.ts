/**
 * What each flag's value is, in words and by example, so that a flag given
 * without its value is answered with the form it expects:
 * `--out needs a file name: --out plan.json`.
 */
export interface ValueForm {
  /** `a file name`: what the value is. */
  needs: string;
  /** `plan.json`: a value that reads well after the flag. */
  example: string;
}

const FILE = "a file name";
const POSITIVE = "a positive integer";
const DURATION = "a duration (ms, s, m or h)";
const MILLISECONDS = "a number of milliseconds";
const SHARE = "a share between 0 and 1";

const FORMS: Record<string, ValueForm> = {
  manifest: { needs: FILE, example: "decom.yaml" },
  state: { needs: FILE, example: "decom.state.json" },
  out: { needs: FILE, example: "plan.json" },
  archive: { needs: FILE, example: "decom.archive.jsonl" },
  endpoint: { needs: "a URL", example: "https://api.waylay.io" },
  profile: { needs: "a profile name", example: "production" },
  target: { needs: "an id", example: "gw-namur-01" },
  "batch-size": { needs: POSITIVE, example: "500" },
  parallelism: { needs: POSITIVE, example: "4" },
  "request-timeout": { needs: DURATION, example: "30s" },
  "batch-timeout": { needs: DURATION, example: "30m" },
  "unacknowledged-grace": { needs: DURATION, example: "60s" },
  "lock-timeout": { needs: DURATION, example: "5m" },
  format: { needs: "one of text, markdown, json", example: "markdown" },
  status: { needs: "one of deleted, absent, failed", example: "failed" },
  port: { needs: "a port number", example: "8080" },
  seed: { needs: FILE, example: "examples/world.json" },
  generate: { needs: "a number of resources", example: "1000" },
  "per-id-ms": { needs: MILLISECONDS, example: "0.2" },
  "start-delay-ms": { needs: MILLISECONDS, example: "10" },
  latency: { needs: MILLISECONDS, example: "50" },
  "fail-rate": { needs: SHARE, example: "0.2" },
  "rate-limit": { needs: SHARE, example: "0.1" },
  "retry-after": { needs: "a number of seconds", example: "1" },
  "reset-rate": { needs: SHARE, example: "0.05" },
  "batch-404-ms": { needs: MILLISECONDS, example: "500" },
  "unknown-batch": { needs: "a batch number", example: "1" },
  "unknown-batch-ms": { needs: MILLISECONDS, example: "2000" },
  "fault-seed": { needs: "a number", example: "42" },
};

/** Whether the flag's value is a file name (one may start with a dash, and must then be written so). */
export function takesFileName(flag: string): boolean {
  return valueForm(flag).needs === FILE;
}

export function valueForm(flag: string): ValueForm {
  return FORMS[flag] ?? { needs: "a value", example: "VALUE" };
}
