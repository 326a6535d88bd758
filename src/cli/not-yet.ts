/**
 * Parts of the specification this decom does not build yet. The README's
 * "Not yet" section promises that decom says so, rather than answer
 * "unknown command" as if they had never been planned.
 */

/** Command → what to do meanwhile. */
export const NOT_YET_COMMANDS: ReadonlyMap<string, string> = new Map<string, string>([]);

/** Flag → what happens without it. */
export const NOT_YET_FLAGS: ReadonlyMap<string, string> = new Map<string, string>([]);

export function notYet(what: string, meanwhile: string): string {
  return `${what} is not built yet in this version (see "Not yet" in the README); ${meanwhile}`;
}
