/** How a saved plan is applied, as a command a person can paste: what plan prints after --out, and what apply says to re-run. */
import { shellWord } from "../text/shell-word.js";

export /** The command that applies a plan saved to `out`, with the manifest and state this plan was made from, as given. */
function applyCommand(
  out: string,
  given: { manifest?: string | undefined; state?: string | undefined; endpoint?: string | undefined; profile?: string | undefined },
): string {
  const { manifest, state } = given;
  // A name that starts with "-" would read as a flag: given as --flag=NAME, or, for the plan, as ./NAME.
  const file = (flag: string, path: string) => (path.startsWith("-") ? ` --${flag}=${shellWord(path)}` : ` --${flag} ${shellWord(path)}`);
  const planArg = shellWord(out.startsWith("-") ? `./${out}` : out);
  const manifestFlag = manifest !== undefined ? file("manifest", manifest).replace(/^ --manifest /, " -f ") : "";
  // The tenant too: without it, the command as printed would target the default endpoint, and refuse the plan.
  const endpoint = given.endpoint !== undefined ? file("endpoint", given.endpoint) : "";
  const tenant = `${endpoint}${given.profile !== undefined ? file("profile", given.profile) : ""}`;
  return `decom apply ${planArg}${manifestFlag}${state !== undefined ? file("state", state) : ""}${tenant}`;
}
