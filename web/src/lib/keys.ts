/**
 * React keys from content for lists without ids (citations, table rows, trace events): the content
 * gives the key and repeats get a counter, so equal items never collide.
 */
export function withKeys<T>(items: readonly T[], keyOf: (item: T) => string): { item: T; key: string }[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = keyOf(item);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { item, key: n === 0 ? base : `${base}#${n}` };
  });
}
