/** `decom state list|show|rm`: the state file's records, listed, shown and forgotten, as Terraform's state commands. */
import { fail } from "../../diagnostics.js";
import { closest } from "../../text/closest.js";
import { quoted } from "../../text/escape.js";
import { HELP_OPTION } from "../args.js";
import type { Io } from "../io.js";

interface Subcommand {
  run(args: string[], io: Io): Promise<number>;
  help: string;
}

const SUBCOMMANDS: Record<string, { summary: string; load: () => Promise<Subcommand> }> = {
  list: { summary: "the records, one line each: kind, id, status, time", load: () => import("./state-list.js") },
  show: { summary: "every record of one id, with the apply that wrote it and its history", load: () => import("./state-show.js") },
  rm: { summary: "forget records, so that the next plan plans their ids afresh", load: () => import("./state-rm.js") },
};

export const help = `Usage: decom state <subcommand> [options]

Reads and edits the state file, as Terraform's state commands do. None of
them reaches the tenant or needs credentials. list and show read the state
without the lock; rm takes it, and writes the state once (serial + 1).

Subcommands:
${Object.entries(SUBCOMMANDS)
  .map(([name, s]) => `  ${name.padEnd(4)}  ${s.summary}`)
  .join("\n")}

Run "decom state <subcommand> --help" for its options.

Examples:
  decom state list --status failed
  decom state show gw-namur-01
  decom state rm gw-namur-01
`;

export const options = { ...HELP_OPTION } as const;

/** `decom state rm --help` is rm's help; `decom state --help`, this one. */
export async function helpFor(args: readonly string[]): Promise<string> {
  const subcommand = args[0] === undefined ? undefined : SUBCOMMANDS[args[0]];
  return subcommand ? (await subcommand.load()).help : help;
}

export async function run(args: string[], io: Io): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    // As decom alone: the usage, given for want of a subcommand, is the error.
    io.stderr.write(help);
    return 1;
  }
  const subcommand = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!subcommand) {
    const suggestion = closest(name, Object.keys(SUBCOMMANDS));
    fail(
      "usage.unknown-command",
      `decom state: unknown subcommand ${quoted(name)}${suggestion ? ` (did you mean "${suggestion}"?)` : ""}; ` +
        "it takes list, show or rm (see decom state --help)",
    );
  }
  return (await subcommand.load()).run(rest, io);
}
