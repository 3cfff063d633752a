/**
 * The console's state lives in the URL's fragment, `#/<view>?<parameters>`, so any view, with
 * its filters and page, can be reloaded, bookmarked and shared; the server never sees it.
 */
export const VIEWS = ['users', 'rejections', 'jobs', 'pipeline'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  params: URLSearchParams;
}

/** `#/users?min_age=30` → the users view with min_age=30; anything unknown → the users view. */
export function parseRoute(hash: string): Route {
  const match = /^#\/([a-z]+)(?:\?(.*))?$/.exec(hash);
  const view = VIEWS.find((v) => v === match?.[1]);
  if (!view) return { view: 'users', params: new URLSearchParams() };
  return { view, params: new URLSearchParams(match?.[2] ?? '') };
}

/** The fragment of a view with these parameters; empty ones are left out. */
export function routeHash(view: View, params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, value);
  const query = search.toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

/** Only the named parameters of a route, for a request to the API (the fragment may hold others). */
export function pick(params: URLSearchParams, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, params.get(name) ?? undefined]));
}

/** `?a=1&b=2` from parameters, leaving out the empty ones. */
export function queryString(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, value);
  const query = search.toString();
  return query ? `?${query}` : '';
}
