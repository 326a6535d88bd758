/** What `decom init` shows: what it wrote, and the commands to run next. */
import { shellWord } from "../../text/shell-word.js";
import { count } from "../../text/plural.js";
import type { Output } from "../output.js";

export class InitHumanView {
  constructor(private readonly out: Output) {}

  /**
   * `given` is the manifest as the user passed it (-f), undefined for the
   * default: the next commands are printed as they must be typed, -f with
   * their file, quoted for a shell, joined with = if it starts with a dash.
   */
  written(manifest: string, given: string | undefined, gitignore: { path: string; added: number }): void {
    const file = given === undefined ? "" : given.startsWith("-") ? ` --manifest=${shellWord(given)}` : ` -f ${shellWord(given)}`;
    this.out.stdout(`Wrote ${manifest}. Edit it, then run: decom validate${file} && decom plan${file}\n`);
    if (gitignore.added > 0) this.out.stdout(`Added ${count(gitignore.added, "line")} to ${gitignore.path}.\n`);
  }
}
