/** Counts in human text: grouped digits, and the noun agreeing with the count. */

// en-US whatever the machine's locale, so a log reads the same on every runner.
const formats = new Map<number, Intl.NumberFormat>();

/**
 * `3,000`, or `1,234.5` with one fraction digit: a number with its thousands
 * grouped, the one way every human view prints numbers. JSON keeps plain numbers.
 */
export function formatNumber(n: number, fractionDigits = 0): string {
  let format = formats.get(fractionDigits);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
    formats.set(fractionDigits, format);
  }
  return format.format(n);
}

/** `3 batches`, `1 batch`, `3,000 ids`: the count and the right form of the noun. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
