/** Counts in human text: grouped digits, and the noun agreeing with the count. */

/**
 * `3,000`, or `1,234.5` with one fraction digit: a number with its thousands
 * grouped, the one way every human view prints numbers. JSON keeps plain numbers.
 * Grouped by hand, as en-US does whatever the machine's locale (so a log reads
 * the same on every runner): the first Intl.NumberFormat of a process cost
 * ~15 ms of every command, loading locale data for a comma.
 */
export function formatNumber(n: number, fractionDigits = 0): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n > 0 ? "∞" : "-∞";
  const fixed = fixedDigits(Math.abs(n), fractionDigits);
  const point = fixed.indexOf(".");
  const whole = point < 0 ? fixed : fixed.slice(0, point);
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ",");
  const negative = n < 0 && Number(fixed) !== 0;
  return `${negative ? "-" : ""}${grouped}${point < 0 ? "" : fixed.slice(point)}`;
}

/** Rounded half away from zero on the decimal digits, as Intl does (0.15 → 0.2), not on the binary value toFixed sees. */
function fixedDigits(abs: number, fractionDigits: number): string {
  // Past 2^53 in the last digit kept, or below what prints without an exponent, decimal and binary agree to the digits kept
  // (and past 2^53 a number is whole: BigInt writes it without the exponent toFixed would use from 1e21).
  if (abs >= 2 ** 53) return `${BigInt(abs)}${fractionDigits > 0 ? `.${"0".repeat(fractionDigits)}` : ""}`;
  if (abs * 10 ** fractionDigits >= 2 ** 53 || abs < 1e-6) return abs.toFixed(fractionDigits);
  return (Math.round(Number(`${abs}e${fractionDigits}`)) / 10 ** fractionDigits).toFixed(fractionDigits);
}

/** `3 batches`, `1 batch`, `3,000 ids`: the count and the right form of the noun. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
