/**
 * argv → command → exit code. Commands are loaded on demand; every error a
 * command throws is turned into a message and an exit code here, and nowhere
 * else. Never calls process.exit (main.ts does).
 */
import { DecomError, formatDiagnostic } from "../diagnostics.js";
import { closest } from "../text/closest.js";
import { escaped, quoted } from "../text/escape.js";
import { DECOM_VERSION } from "../version.js";
import { WaylayError } from "../waylay/errors/WaylayError.js";
import { collectSooner } from "./heap.js";
import type { Io } from "./io.js";
import { NOT_YET_COMMANDS, notYet } from "./not-yet.js";
import { diagnosticLine } from "../views/json-lines.js";

interface CommandModule {
  run(args: string[], io: Io): Promise<number>;
  help: string;
  /** A command of subcommands answers `--help` for the one named in `args`. */
  helpFor?(args: readonly string[]): Promise<string>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  init: { summary: "write a starter decom.yaml and .gitignore lines", load: () => import("./commands/init.js") },
  plan: { summary: "show what apply would delete, absent and forget", load: () => import("./commands/plan.js") },
  apply: { summary: "delete what a plan says, and record it in the state", load: () => import("./commands/apply.js") },
  restore: { summary: "create again what decom deleted, from its archive", load: () => import("./commands/restore.js") },
  show: { summary: "show a saved plan or a state file", load: () => import("./commands/show.js") },
  state: { summary: "list, show and forget the state's records", load: () => import("./commands/state.js") },
  validate: { summary: "check the manifest without touching the network", load: () => import("./commands/validate.js") },
  "force-unlock": { summary: "remove a state lock left by a decom that was killed", load: () => import("./commands/force-unlock.js") },
  emulator: { summary: "serve a local fake of the Waylay Resources API", load: () => import("./commands/emulator.js") },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return `Usage: decom <command> [options]

decom deletes Waylay resources and resource types in bulk, declaratively: a
manifest says what must no longer exist; plan shows the difference; apply
deletes it through batch operations and records the outcome in a state file.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join("\n")}

Run "decom <command> --help" for a command's options.
Typical use: decom plan --out plan.json, review it, then decom apply plan.json.
`;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  // `decom help plan`, as git and Terraform users type it, is `decom plan --help`.
  if (argv[0] === "help" && argv.length > 1) return run([...argv.slice(1), "--help"], io);
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    // Asked for, the usage is the view (stdout); given for want of a command, it is the error (stderr).
    (name === undefined ? io.stderr : io.stdout).write(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.stdout.write(`decom ${DECOM_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const meanwhile = NOT_YET_COMMANDS.get(name);
    if (meanwhile !== undefined) {
      io.stderr.write(`error: ${notYet(`decom ${name}`, meanwhile)}\n`);
      return 1;
    }
    const suggestion = closest(name, Object.keys(COMMANDS));
    io.stderr.write(
      `error: unknown command ${quoted(name)}${suggestion ? ` (did you mean "${suggestion}"?)` : ""}; run "decom --help" for the list\n`,
    );
    return 1;
  }
  // Not the emulator: a long-lived fake tenant, not decom's own work, whose collections would slow the tenant it plays.
  if (name !== "emulator") collectSooner(process.execArgv);
  try {
    const module = await command.load();
    if (args.includes("--help") || args.includes("-h")) {
      io.stdout.write(module.helpFor ? await module.helpFor(args) : module.help);
      return 0;
    }
    return await module.run(args, io);
  } catch (err) {
    // Even an error is shown in the format asked for: with --json, as a diagnostic line on stdout.
    if (args.includes("--json") && err instanceof DecomError) {
      for (const d of err.diagnostics) io.stdout.write(diagnosticLine(d));
    } else if (args.includes("--json") && err instanceof WaylayError) {
      io.stdout.write(diagnosticLine({ severity: "error", code: `waylay.${err.name}`, summary: err.message }));
    } else {
      io.stderr.write(describeError(err) + "\n");
    }
    return 1;
  }
}

function describeError(err: unknown): string {
  if (err instanceof DecomError) return err.diagnostics.map(formatDiagnostic).join("\n");
  if (err instanceof WaylayError) return `error: ${escaped(err.message)}`;
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  // A message may quote tenant data; its lines stay lines, nothing else reaches the terminal raw.
  return (
    "error: unexpected failure; this is a bug in decom, please report it with this text:\n" + stack.split("\n").map(escaped).join("\n")
  );
}
