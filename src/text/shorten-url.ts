/**
 * A URL quoted in a line a person reads (a --debug trace, an error, a notice):
 * a lookup of 100 ids is thousands of characters, so a long one keeps its start
 * (the endpoint and path) and its end (where the query's last parameters are).
 * Errors keep the whole URL as data; only what is printed is shortened.
 */
export function shortenUrl(url: string, keep = 120): string {
  return url.length <= 2 * keep + 1 ? url : `${url.slice(0, keep)}…${url.slice(-keep)}`;
}
