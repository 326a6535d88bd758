/**
 * Terraform flags decom has no counterpart for, and what decom does instead.
 * A Terraform user types them from habit; read as decom flags, `-force` would
 * be `-f orce` (a manifest named "orce") and the rest "unknown flag".
 */
const NOTHING_TO_FORCE: Record<string, string> = {
  "force-unlock": "decom force-unlock needs none (it refuses while the holder runs)",
  apply: "decom apply asks for yes unless --auto-approve",
};

const INSTEAD: Record<string, (command: string) => string> = {
  force: (command) => NOTHING_TO_FORCE[command] ?? `decom ${command} has no -force`,
  lock: () => "decom always locks the state (a stale lock is removed with decom force-unlock)",
  "lock-timeout": (command) =>
    command === "force-unlock"
      ? "decom force-unlock waits for nothing: it removes a lock only once its holder is gone"
      : `decom ${command} takes no lock, so it waits for none; plan, apply and state rm wait with --lock-timeout`,
  input: () => "decom never asks for input except apply's yes: use --auto-approve",
  refresh: () => "decom plan always reads the tenant: that is what it compares the manifest with",
  var: () => "a decom manifest has no variables: write one manifest per case and choose it with -f",
  "var-file": () => "a decom manifest has no variables: write one manifest per case and choose it with -f",
  "compact-warnings": () => "decom's warnings are one line each already",
};

/** What decom does instead of the Terraform flag `name` (no dashes, no value), or undefined when it is none. */
export function terraformOnly(command: string, name: string): string | undefined {
  return Object.hasOwn(INSTEAD, name) ? INSTEAD[name]!(command) : undefined;
}
