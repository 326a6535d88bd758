/**
 * Where JSON.parse gave up, as a line and column a person can go to, and its
 * complaint without the character offset V8 appends.
 */
export interface JsonSyntaxError {
  line: number;
  column: number;
  problem: string;
}

export function jsonSyntaxError(text: string, err: unknown): JsonSyntaxError {
  const message = err instanceof Error ? err.message : String(err);
  const at = /\s+in JSON at position (\d+)/.exec(message);
  const offset = at ? Math.min(Number(at[1]), text.length) : text.length; // "Unexpected end of JSON input": the end
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf("\n");
  return {
    line: before.split("\n").length,
    column: offset - lastBreak,
    problem: at ? message.slice(0, at.index) + message.slice(at.index + at[0].length) : message,
  };
}
