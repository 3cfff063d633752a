/** The pages a keyset page links to (RFC 8288 Link header): URLs as the API gave them. */
export interface PageLinks {
  next?: string;
  prev?: string;
}

/** Reads the rel="next" and rel="prev" links of a Link header; anything else is ignored. */
export function parseLinks(header: string | null): PageLinks {
  const links: PageLinks = {};
  for (const match of (header ?? '').matchAll(/<([^>]*)>\s*;\s*rel="?([^";,]+)"?/g)) {
    const [, url, rel] = match as unknown as [string, string, string];
    if (rel === 'next' || rel === 'prev') links[rel] = url;
  }
  return links;
}

/** The cursor a page URL starts after, or null for the first page. */
export function cursorOf(url: string): string | null {
  return new URL(url, 'http://placeholder').searchParams.get('cursor');
}
