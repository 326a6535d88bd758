/**
 * Turns ajv errors about the manifest into diagnostics that name the file,
 * line, column and field, in words an operator understands.
 */
import { error, type Diagnostic } from "../diagnostics.js";
import type { SchemaError } from "../schemas.js";
import { closest } from "../text/closest.js";
import { displayPath, pointerToPath } from "./positions.js";
import type { Position, SourceLocator } from "./source.js";

/**
 * The schema's pattern for selector fields: at least one character that is
 * neither a space nor invisible (a zero-width space or a Hangul filler is blank
 * too; the same characters the views escape, text/escape.ts).
 */
const NOT_BLANK = "[^\\s\\p{Cc}\\p{Cf}\\p{Default_Ignorable_Code_Point}]";

export function schemaDiagnostics(errors: readonly SchemaError[], locator: SourceLocator, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // The branches of a `oneOf` (id or select) each report their own "required";
  // the oneOf error itself says it better, once.
  for (const e of errors.filter((e) => !/\/oneOf\/\d+\//.test(e.schemaPath))) {
    const path = pointerToPath(e.instancePath);
    let where: Position = locator.at(path);
    let summary: string;
    switch (e.keyword) {
      case "additionalProperties": {
        const key = String(e.params.additionalProperty);
        where = locator.keyAt(path, key) ?? where;
        const known = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
        if (key === "filter" && path[path.length - 1] === "select") {
          summary =
            'fuzzy "filter" is refused: a deletion tool must not delete by fuzzy search; ' +
            `select with exact fields (${known.join(", ")})`;
          break;
        }
        const suggestion = closest(key, known);
        summary = `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`;
        break;
      }
      case "oneOf": {
        const choices = ((e.schema as { required?: string[] }[] | undefined) ?? []).flatMap((branch) => branch.required ?? []);
        const present = choices.filter((key) => e.data && typeof e.data === "object" && key in e.data);
        summary = present.length > 1 ? `use either ${quoteList(choices)} in one entry, not both` : `needs ${quoteList(choices)}`;
        break;
      }
      case "minProperties":
        summary =
          path[path.length - 1] === "select"
            ? "an empty selector would match every resource; give at least one of " +
              Object.keys((e.parentSchema?.properties as object | undefined) ?? {}).join(", ")
            : "must not be empty";
        break;
      case "minItems":
        summary = "must not be an empty list";
        break;
      case "minimum":
        summary = `must be at least ${String(e.params.limit)}`;
        break;
      case "required":
        summary = `missing required key "${String(e.params.missingProperty)}"`;
        break;
      case "type":
        summary = `must be ${article(String(e.params.type))}${quoteHint(locator.scalarAt(path), String(e.params.type))}`;
        break;
      case "enum":
        summary = `${JSON.stringify(e.data)} is not one of ${(e.params.allowedValues as unknown[]).join(", ")}`;
        break;
      case "const":
        summary =
          path.length === 1 && path[0] === "version"
            ? `unsupported manifest version ${JSON.stringify(e.data)}; this decom reads version ${String(e.params.allowedValue)}`
            : `must be ${JSON.stringify(e.params.allowedValue)}`;
        break;
      case "uniqueItems":
        summary = `lists ${JSON.stringify((e.data as unknown[])[Number(e.params.j)])} twice`;
        break;
      case "minLength":
        summary = "must not be empty";
        break;
      case "pattern": {
        const why =
          path[path.length - 1] === "query" ? "an empty query would match every resource" : "remove it, or give the value it must match";
        summary = e.params.pattern === NOT_BLANK ? `must not be blank (${why})` : `must match the pattern ${String(e.params.pattern)}`;
        break;
      }
      default:
        summary = e.message ?? e.keyword;
    }
    const diagnostic = error(`manifest.${e.keyword}`, summary, {
      path: displayPath(path) || undefined,
      source: { file, ...where },
    });
    const key = `${where.line}:${where.column}:${summary}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(diagnostic);
    }
  }
  return out;
}

function quoteList(keys: readonly string[]): string {
  return keys.map((key) => `"${key}"`).join(" or ");
}

function article(type: string): string {
  const named: Record<string, string> = {
    object: "a mapping (key: value lines)",
    array: "a list",
    string: "a string",
    integer: "an integer",
    number: "a number",
    boolean: "true or false",
  };
  return named[type] ?? type;
}

/** YAML reads `id: 0042` as the number 42; deleting "42" instead of "0042" must not happen silently. */
function quoteHint(scalar: { source: string; value: unknown } | undefined, expected: string): string {
  if (expected !== "string" || !scalar || typeof scalar.value === "string") return "";
  return `; write it in quotes ("${scalar.source}") so YAML does not read it as ${typeof scalar.value}`;
}
