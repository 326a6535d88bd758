/**
 * The words of plan warnings (plan/warnings.ts holds the facts): diagnostics,
 * printed on stderr as `warning: retire.yaml:6:9: …`, or as `diagnostic`
 * lines with --json, like every other warning.
 */
import { formatDiagnostic, warning, type Diagnostic } from "../diagnostics.js";
import type { NotFoundId, PlanWarning } from "../plan/warnings.js";
import { quoted } from "../text/escape.js";
import { formatNumber } from "../text/plural.js";

const NOT_FOUND = "not found on the tenant, and not in the state";

export function planWarningDiagnostics(warnings: readonly PlanWarning[]): Diagnostic[] {
  const said: Diagnostic[] = [];
  for (const w of warnings) {
    switch (w.code) {
      case "not-found": {
        for (const id of w.ids) said.push(notFound(w.manifest, id));
        // The plan lists every one: a few lines here are enough to see a typo, thousands would hide the plan.
        const more = w.count - w.ids.length;
        if (more > 0) {
          said.push(
            warning(
              "plan.not-found",
              `… and ${formatNumber(more)} more ids named in ${w.manifest} ${NOT_FOUND} (the plan lists them all, as already absent)`,
            ),
          );
        }
        break;
      }
      case "no-guard":
        said.push(
          warning(
            "manifest.no-guard",
            `${w.manifest} has no guard.maxDeletes: nothing limits how many deletions one plan may make; ` +
              'add "guard: {maxDeletes: N}" to it, N the most one apply should delete',
          ),
        );
        break;
    }
  }
  return said;
}

/** The human form, for stderr: one `warning: …` line each. */
export function planWarningsText(warnings: readonly PlanWarning[]): string {
  return planWarningDiagnostics(warnings)
    .map((d) => `${formatDiagnostic(d)}\n`)
    .join("");
}

function notFound(manifest: string, { kind, id, source }: NotFoundId): Diagnostic {
  const summary = `${kind} ${quoted(id)} ${NOT_FOUND}: a typo? It is planned as already absent`;
  return source
    ? warning("plan.not-found", summary, { source: { file: manifest, ...source } })
    : warning("plan.not-found", `${manifest}: ${summary}`);
}
