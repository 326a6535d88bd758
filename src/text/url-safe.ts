/**
 * Text with a lone surrogate (which YAML and JSON escapes can spell) has no
 * UTF-8 form, so no URL form: encodeURIComponent throws, and URLSearchParams
 * quietly makes it another string, so a lookup would ask about another id.
 */

/** Why `text` cannot be sent in a URL, or undefined when it can. */
export function whyNotUrlSafe(text: string): string | undefined {
  // Node 20 has String.prototype.isWellFormed; TypeScript's ES2023 lib does not declare it.
  if ((text as string & { isWellFormed(): boolean }).isWellFormed()) return undefined;
  return `${JSON.stringify(text)} is not valid Unicode (a lone surrogate), so it cannot be sent in a URL`;
}
