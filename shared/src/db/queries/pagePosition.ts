/**
 * Where the page before a keyset page starts, for a Link rel="prev": nowhere (the page is the
 * first), at the start (fewer than a page's worth of rows precede it), or after a given key.
 */
export type PreviousPage = { kind: 'none' } | { kind: 'first' } | { kind: 'after'; cursor: string };

/**
 * From the keys at or before a page's cursor, nearest first, fetched `limit + 1` at most: the
 * previous page is the `limit` keys nearest the cursor, so it starts after the one beyond them.
 */
export function previousPage(keysBackwards: string[], limit: number): PreviousPage {
  if (keysBackwards.length === 0) return { kind: 'none' };
  if (keysBackwards.length <= limit) return { kind: 'first' };
  return { kind: 'after', cursor: keysBackwards[limit]! };
}
