/**
 * The URL of a `Link` header's `rel="next"`, resolved against the request's URL, or null on the
 * last page. The query API pages `GET /data` this way (services/query-api/src/pageLinks.ts):
 * `</data?limit=2&cursor=10018>; rel="next", </data?limit=2>; rel="prev"`.
 */
export function nextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match) continue;
    const rels = /\brel="?([^";]+)"?/i.exec(match[2]!)?.[1]?.toLowerCase().split(/\s+/) ?? [];
    if (rels.includes('next')) return new URL(match[1]!, base).toString();
  }
  return null;
}
