/** A JSON file decom wrote, parsed: what tests read back to check it. */
import { readFileSync } from "node:fs";

/** Untyped unless asked (`readJsonFile<Plan>(…)`), as JSON.parse is: tests index into what they read. */
// biome-ignore lint/suspicious/noExplicitAny: tests index into parsed JSON without declaring its type
export function readJsonFile<T = any>(path: string | URL): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}
