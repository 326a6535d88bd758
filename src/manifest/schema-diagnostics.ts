/**
 * Turns ajv errors about the manifest into diagnostics that name the file,
 * line, column and field, in words an operator understands.
 */
import type { Document, LineCounter, Node } from "yaml";
import { isScalar } from "yaml";
import { error, type Diagnostic } from "../diagnostics.js";
import type { SchemaError } from "../schemas.js";
import { closest } from "../text/closest.js";
import { displayPath, keyNodeAt, lineColumn, nodeAt, pointerToPath } from "./positions.js";

export function schemaDiagnostics(
  errors: readonly SchemaError[],
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    let node: Node | undefined = nodeAt(doc, path);
    let summary: string;
    switch (e.keyword) {
      case "additionalProperties": {
        const key = String(e.params.additionalProperty);
        node = keyNodeAt(doc, path, key) ?? node;
        const known = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
        const suggestion = closest(key, known);
        summary = `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`;
        break;
      }
      case "required":
        summary = `missing required key "${String(e.params.missingProperty)}"`;
        break;
      case "type":
        summary = `must be ${article(String(e.params.type))}${quoteHint(node, String(e.params.type))}`;
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
      default:
        summary = e.message ?? e.keyword;
    }
    const where = lineColumn(lineCounter, node);
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
function quoteHint(node: Node | undefined, expected: string): string {
  if (expected !== "string" || !isScalar(node) || typeof node.value === "string") return "";
  const text = node.source ?? String(node.value);
  return `; write it in quotes ("${text}") so YAML does not read it as ${typeof node.value}`;
}
