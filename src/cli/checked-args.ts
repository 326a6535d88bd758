/**
 * Reads a command's words the way node:util parseArgs will, first, so that
 * every mistake is said in decom's words with the form the flag expects, and
 * so that Terraform habits (`-out=plan.json`, `-auto-approve`) are answered
 * with decom's spelling instead of being read as a run of short flags.
 */
import type { ParseArgsConfig } from "node:util";
import { fail } from "../diagnostics.js";
import { closest } from "../text/closest.js";
import { quoted } from "../text/escape.js";
import { shellWord } from "../text/shell-word.js";
import { takesFileName, valueForm } from "./flag-forms.js";
import { NOT_YET_FLAGS, notYet } from "./not-yet.js";
import { terraformOnly } from "./terraform-only.js";

type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/**
 * `args`, checked: each flag known, each switch without a value, each value
 * present, no more positionals than allowed. A value that starts with a dash
 * (`--parallelism -1`) is joined to its flag (`--parallelism=-1`), so that the
 * flag's own check refuses it by name rather than parseArgs calling it ambiguous.
 */
export function checkedArgs(command: string, args: readonly string[], options: OptionSpec, maxPositionals: number): string[] {
  const shorts = new Map(Object.entries(options).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));
  const out: string[] = [];
  let positionals = 0;
  const positional = (word: string) => {
    if (++positionals > maxPositionals) {
      const allowed =
        maxPositionals === 0
          ? "takes no arguments"
          : `takes ${maxPositionals === 1 ? "one argument" : `${maxPositionals} arguments`} at most`;
      fail(
        "usage.extra-argument",
        `decom ${command}: unexpected argument ${quoted(word)}; decom ${command} ${allowed} (see decom ${command} --help)`,
      );
    }
    out.push(word);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      out.push(arg);
      for (const word of args.slice(i + 1)) positional(word);
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const eq = arg.indexOf("=");
    const spelt = eq === -1 ? arg : arg.slice(0, eq);
    // Before -fWORD is read as -f with a value: -force is Terraform's, not a manifest named "orce".
    const instead = options[spelt.replace(/^--?/, "")] ? undefined : terraformOnly(command, spelt.replace(/^--?/, ""));
    // --lock-timeout is decom's own flag too (plan, apply, state rm): spelt so, it is not called Terraform's.
    const what = long && spelt === "--lock-timeout" ? `${spelt} is not a flag of decom ${command}` : `${arg} is a Terraform flag`;
    if (instead !== undefined) fail("usage.terraform-flag", `decom ${command}: ${what}; ${instead}`);
    if (!long && arg.length > 2) {
      // A single-dash word: a Terraform habit, or a short flag with its value attached (-fdecom.yaml).
      const word = spelt.slice(1);
      const shortName = shorts.get(word) ?? shorts.get(arg[1]!);
      if (options[word] || (shortName !== undefined && eq === 2))
        terraformHabit(command, arg, word.length === 1 ? shortName! : word, options, args[i + 1]);
      if (shortName !== undefined && options[shortName]!.type === "string") {
        out.push(arg);
        continue;
      }
      unknownFlag(command, arg, `--${word}`, options);
    }
    const name = long ? spelt.slice(2) : shorts.get(arg[1]!);
    const spec = name === undefined ? undefined : options[name];
    if (name === undefined || spec === undefined) return unknownFlag(command, spelt, spelt, options);
    const shown = long ? spelt : `${spelt}/--${name}`;
    if (spec.type === "boolean") {
      if (eq !== -1) fail("usage.switch-value", `decom ${command}: ${spelt} takes no value: write ${spelt}, not ${arg}`);
      out.push(arg);
      continue;
    }
    if (eq !== -1) {
      if (eq === arg.length - 1) missingValue(command, shown, spelt, name);
      out.push(arg);
      continue;
    }
    const value = args[i + 1];
    if (value !== undefined && looksLikeFileName(value, name, options, shorts)) {
      fail(
        "usage.dash-file",
        `decom ${command}: ${shown} ${value}: a file name that starts with a dash is written ` +
          `--${name}=${shellWord(value)} or ${spelt} ${shellWord(`./${value}`)}`,
      );
    }
    if (value === undefined || value === "" || looksLikeFlag(value)) missingValue(command, shown, spelt, name);
    out.push(`--${name}=${value}`); // parseArgs reads -f=x as the value "=x"
    i++;
  }
  return out;
}

/** A word that starts with a dash and is not a negative number: the user forgot the value before it. */
function looksLikeFlag(word: string): boolean {
  return word.startsWith("-") && !/^-\d/.test(word);
}

/** `-weird.yaml` after a flag that takes a file: a name with a dot or slash that no flag has. */
function looksLikeFileName(word: string, flag: string, options: OptionSpec, shorts: Map<string, string>): boolean {
  if (!looksLikeFlag(word) || !takesFileName(flag) || !/[./]/.test(word)) return false;
  const name = word.replace(/^--?/, "").split("=")[0]!;
  return options[name] === undefined && !shorts.has(name) && terraformOnly("", name) === undefined;
}

function missingValue(command: string, shown: string, spelt: string, name: string): never {
  const form = valueForm(name);
  fail("usage.missing-value", `decom ${command}: ${shown} needs ${form.needs}: ${spelt} ${form.example}`);
}

function unknownFlag(command: string, spelt: string, nearestTo: string, options: OptionSpec): never {
  const meanwhile = NOT_YET_FLAGS.get(spelt);
  if (meanwhile !== undefined) fail("usage.not-yet", `decom ${command}: ${notYet(spelt, meanwhile)}`);
  const suggestion = closest(
    nearestTo,
    Object.keys(options).map((name) => `--${name}`),
  );
  fail(
    "usage.unknown-flag",
    `decom ${command}: unknown flag ${spelt}${suggestion ? ` (did you mean ${suggestion}?)` : ""}; see decom ${command} --help`,
  );
}

/** `-out=plan.json`, `-out plan.json`, `-auto-approve`: decom spells its flags with two dashes. */
function terraformHabit(command: string, arg: string, name: string, options: OptionSpec, next: string | undefined): never {
  const eq = arg.indexOf("=");
  let form = `--${name}`;
  if (options[name]!.type === "string") {
    const value = eq !== -1 ? arg.slice(eq + 1) : next !== undefined && !looksLikeFlag(next) ? next : valueForm(name).example;
    form += ` ${shellWord(value)}`;
  }
  fail("usage.single-dash", `decom ${command}: unknown flag ${arg}; decom spells it ${form}`);
}
