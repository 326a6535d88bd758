/** What `decom validate` shows when the files are valid (problems are diagnostics, said where every error is). */
import type { Manifest } from "../../manifest/model.js";
import type { PlanWarning } from "../../plan/warnings.js";
import type { State } from "../../state/model.js";
import { count, formatNumber } from "../../text/plural.js";
import type { Output } from "../output.js";
import { planWarningsText } from "../plan-warnings.js";

export class ValidateHumanView {
  constructor(private readonly out: Output) {}

  /** One line per file, then what an interrupted apply left behind, if anything. */
  validated(manifest: { path: string; manifest: Manifest }, state?: { path: string; state: State }, journal?: string): void {
    const m = manifest.manifest;
    const s = state?.state;
    const counts = [
      count(m.resources.length, "resource"),
      count(m.selectors.length, "selector"),
      count(m.resourceTypes.length, "resource type"),
    ].join(", ");
    this.out.stdout(
      `${manifest.path} is valid: ${counts}.\n` +
        (state && s ? `${state.path} is valid: lineage ${s.lineage}, serial ${formatNumber(s.serial)}.\n` : "") +
        (s && s.inFlight.length > 0
          ? `${count(s.inFlight.length, "in-flight batch", "in-flight batches")} recorded: ` +
            `the next decom plan or apply follows ${s.inFlight.length === 1 ? "it" : "them"}.\n`
          : "") +
        (journal !== undefined ? `${journal} exists: an apply was interrupted; the next decom plan or apply resumes it.\n` : ""),
    );
  }

  /** What plans of this manifest will warn about that needs no tenant (no guard), on stderr. */
  warnings(warnings: readonly PlanWarning[]): void {
    if (warnings.length > 0) this.out.stderr(planWarningsText(warnings));
  }
}
