/** `3 batches`, `1 batch`: the count and the right form of the noun. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
