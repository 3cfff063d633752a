import type { PreviousPage } from '@userpipe/shared';

/** The same request with another cursor, or none (the first page): every other parameter kept. */
function withCursor(requestUrl: string, cursor: string | undefined): string {
  const url = new URL(requestUrl, 'http://placeholder');
  if (cursor === undefined) url.searchParams.delete('cursor');
  else url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
}

/**
 * The Link header of a keyset page (RFC 8288): rel="next" when another page follows, starting
 * after `nextCursor`; rel="prev" when a page comes before. Undefined when there is neither.
 */
export function pageLinks(requestUrl: string, nextCursor: string | undefined, previous: PreviousPage): string | undefined {
  const links: string[] = [];
  if (nextCursor !== undefined) links.push(`<${withCursor(requestUrl, nextCursor)}>; rel="next"`);
  if (previous.kind !== 'none') links.push(`<${withCursor(requestUrl, previous.kind === 'after' ? previous.cursor : undefined)}>; rel="prev"`);
  return links.length > 0 ? links.join(', ') : undefined;
}
