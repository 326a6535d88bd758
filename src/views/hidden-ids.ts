/**
 * The views show ids escaped; when some id needed it, they say so, since
 * `"x\u001b[2K"` is then the id's real spelling and not decom's noise.
 */
import type { Plan } from "../plan/model.js";
import { hasHiddenCharacters, hiddenCharacterEscapes } from "../text/escape.js";
import { count } from "../text/plural.js";

/** How many escapes the warning names before it says "…". */
const ESCAPES_SHOWN = 8;

export const HIDDEN_ID_NOTE = "id contains control or invisible characters";

/** Every id a plan view prints: its changes, and the ids its blockers name. */
export function* planIds(plan: Plan): Generator<string> {
  for (const c of plan.changes) yield c.id;
  for (const b of plan.blockers) {
    if (b.code === "max-deletes") continue;
    if (b.code !== "in-flight") yield b.id;
    if (b.code !== "protected-resource" && b.code !== "protected-resource-type") yield* b.ids;
  }
}

/**
 * `3 ids contain control or invisible characters; they are shown escaped (\r, \u001b).`,
 * or undefined when none does. `code` renders each escape (markdown puts it in a code span).
 */
export function hiddenIdsWarning(ids: Iterable<string>, code: (escaped: string) => string = (e) => e): string | undefined {
  const hidden = new Set<string>();
  for (const id of ids) if (hasHiddenCharacters(id)) hidden.add(id);
  if (hidden.size === 0) return undefined;
  const escapes = hiddenCharacterEscapes([...hidden].join(" "));
  const shown = escapes.slice(0, ESCAPES_SHOWN).map(code).join(", ") + (escapes.length > ESCAPES_SHOWN ? ", …" : "");
  const one = hidden.size === 1;
  return (
    `${count(hidden.size, "id")} ${one ? "contains" : "contain"} control or invisible characters; ` +
    `${one ? "it is" : "they are"} shown escaped (${shown}).`
  );
}
