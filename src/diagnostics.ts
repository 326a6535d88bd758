/**
 * Problems are values: a diagnostic says what is wrong and, when it comes from a
 * file, exactly where. Commands collect them; only the CLI edge prints them and
 * turns them into an exit code.
 */
import { escaped } from "./text/escape.js";

export interface SourcePosition {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export interface Diagnostic {
  severity: "error" | "warning";
  /** Stable machine-readable code, e.g. `manifest.duplicate-id` or `plan.stale`. */
  code: string;
  /** One line, written for the operator. */
  summary: string;
  /** The field the problem is about, in `resources[3].select` form. */
  path?: string;
  source?: SourcePosition;
  /** Optional further lines (never needed to understand the summary). */
  detail?: string;
}

/**
 * `decom.yaml:12:5: resources[3].select: unknown key "tagz"`. Whatever a
 * summary quotes from a file or the tenant that was not escaped where it was
 * written (a JSON parser's excerpt, say) is escaped here, before a terminal sees it.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.column}: ` : "";
  const path = d.path ? `${d.path}: ` : "";
  const prefix = d.severity === "warning" ? "warning: " : where || path ? "" : "error: ";
  return escaped(`${prefix}${where}${path}${d.summary}`);
}

export function error(code: string, summary: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "error", code, summary, ...extra };
}

export function warning(code: string, summary: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "warning", code, summary, ...extra };
}

/**
 * The one error class commands throw for problems the user can fix. It carries
 * diagnostics rather than a message so the CLI can render them in any format.
 */
export class DecomError extends Error {
  override readonly name = "DecomError";
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic | Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map(formatDiagnostic).join("\n"));
    this.diagnostics = list;
  }
}

export function fail(code: string, summary: string, extra: Partial<Diagnostic> = {}): never {
  throw new DecomError(error(code, summary, extra));
}
