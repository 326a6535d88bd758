/**
 * Which of decom's own files a file is, judged from its name and content, so
 * that a file given in the wrong place (the manifest as --state, a plan to
 * force-unlock) is named for what it is rather than called damaged. Used only
 * once reading a file as what was expected has failed: it never decides
 * whether a file is accepted.
 */
import { basename } from "node:path";
import { parse } from "yaml";
import { validateJournalRecordOf } from "../schemas.js";
import { shellWord } from "../text/shell-word.js";

export type DecomFileKind = "manifest" | "plan" | "state" | "journal";

/** How messages call each kind: `decom.yaml is a manifest`. */
export const KIND_NAMES: Record<DecomFileKind, string> = {
  manifest: "a manifest",
  plan: "a saved plan",
  state: "a state file",
  journal: "the journal of an apply in progress or interrupted",
};

/**
 * How a journal is resumed, when its name says which state it belongs to
 * (`<state>.journal`): `decom apply resumes it`, or with `--state`.
 */
export function journalResumeHint(path: string): string | undefined {
  if (!path.endsWith(".journal") || basename(path) === ".journal") return undefined;
  const state = path.slice(0, -".journal".length);
  return state === "decom.state.json" ? "decom apply resumes it" : `decom apply --state ${shellWord(state)} resumes it`;
}

/** Keys only a manifest has at its top level (a state's `resources` is a map, a manifest's a list). */
const MANIFEST_KEYS = ["resourceTypes", "protect", "guard", "defaults"];

export function recogniseFile(name: string, text: string): DecomFileKind | undefined {
  if (startsWithJournalBegin(text)) return "journal";
  const data = topLevelMapping(text);
  if (data === undefined) return /\.ya?ml$/i.test(name) ? "manifest" : undefined;
  if ("formatVersion" in data) return "plan";
  if ("lineage" in data) return "state";
  if (Array.isArray(data.resources) || MANIFEST_KEYS.some((key) => key in data) || (data.version === 1 && Object.keys(data).length === 1))
    return "manifest";
  return /\.ya?ml$/i.test(name) ? "manifest" : undefined;
}

/** JSON lines whose first is a journal's begin record (a journal's later lines are not looked at). */
function startsWithJournalBegin(text: string): boolean {
  const first = text.slice(0, text.indexOf("\n") + 1 || undefined).trim();
  try {
    return validateJournalRecordOf.get("begin")!(JSON.parse(first)) === true;
  } catch {
    return false;
  }
}

/** Above this, text that is not JSON is not parsed as YAML too: the name alone decides. */
const YAML_SNIFF_LIMIT = 1_000_000;

/** The top-level mapping of a JSON or YAML text, or undefined when it has none. */
function topLevelMapping(text: string): Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    if (text.length > YAML_SNIFF_LIMIT) return undefined;
    try {
      data = parse(text, { prettyErrors: false });
    } catch {
      return undefined;
    }
  }
  return data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}
