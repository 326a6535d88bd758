/**
 * Tenant strings (ids, server messages) rendered for a terminal or a review:
 * characters that could move the cursor, hide text or reorder it are shown as
 * JSON-style escapes, so what a reviewer reads is exactly what decom acts on.
 */

/**
 * Controls (C0, DEL, C1), lone surrogates, format characters (zero-width
 * spaces and joiners, bidi embeddings, overrides and isolates, soft hyphen,
 * BOM), line and paragraph separators, other default-ignorable characters
 * (Hangul fillers, variation selectors), and every space but U+0020.
 */
const HIDDEN_CLASS = String.raw`[\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}`;
const HIDDEN = new RegExp(HIDDEN_CLASS, "u");
const HIDDEN_ALL = new RegExp(HIDDEN_CLASS, "gu");
const TO_QUOTE = new RegExp(String.raw`["\\]|${HIDDEN_CLASS}`, "gu");

const SHORT: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };

/** `\uXXXX` per UTF-16 unit, as JSON writes it; the short forms where JSON has one. */
function escapeOne(char: string): string {
  const short = SHORT[char];
  if (short !== undefined) return short;
  let out = "";
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

/**
 * Printable ASCII but `"` and `\`: nothing to escape. Most ids are this, and a
 * test against it skips the Unicode property tables (a plan view of a million
 * ids asks several times per id).
 */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `"gw-1"`; `"x\u001b[2K"`: double-quoted, with `"`, `\` and hidden characters escaped. */
export function quoted(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : `"${text.replace(TO_QUOTE, escapeOne)}"`;
}

/**
 * For a server message, URL or batch id inside decom's own sentence: hidden
 * characters escaped, nothing else. It leaves `\` alone, so it is idempotent:
 * a message escaped where it is made (an HttpError) is unchanged when a view
 * escapes it again. Ids, which must read back exactly, use `quoted`.
 */
export function escaped(text: string): string {
  return PLAIN.test(text) ? text : text.replace(HIDDEN_ALL, escapeOne);
}

/** Whether `text` has a character that `quoted` and `escaped` show as an escape (other than `"` and `\`). */
export function hasHiddenCharacters(text: string): boolean {
  return !PLAIN.test(text) && HIDDEN.test(text);
}

/** The escapes that stand for `text`'s hidden characters, each once, in order of code point. */
export function hiddenCharacterEscapes(text: string): string[] {
  const found = new Set(text.match(HIDDEN_ALL) ?? []);
  return [...found].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).map(escapeOne);
}
