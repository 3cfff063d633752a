import { fill, h, table } from './dom.js';
import { formatDateTime } from './format.js';
import { api, describeError, isAbort } from './http.js';
import { pager } from './pager.js';
import { queryString, routeHash } from './route.js';
import type { Rejection } from './types.js';

const PAGE_SIZE = '50';

/** The user files currently refused, with the reason, a page at a time (GET /rejections). */
export function mountRejections(root: HTMLElement, params: URLSearchParams): () => void {
  const aborter = new AbortController();
  const limit = params.get('limit') ?? PAGE_SIZE;
  const problem = h('p', { class: 'error', role: 'alert', id: 'rejections-error' });
  const pages = h('div', { class: 'pages' });
  const results = h('div', { class: 'results' }, h('p', { class: 'loading' }, 'Loading…'));
  fill(
    root,
    h('h2', {}, 'Rejected files'),
    h('p', { class: 'hint' }, 'A rejected csv leaves the user\'s last good row in place; uploading a good version clears the rejection.'),
    problem,
    pages,
    results,
  );

  void api<Rejection[]>(`/rejections${queryString({ limit, cursor: params.get('cursor') })}`, { signal: aborter.signal })
    .then(({ body, links }) => {
      fill(pages, pager(links, (cursor) => (location.hash = routeHash('rejections', { limit, cursor }))));
      fill(
        results,
        body.length
          ? table(
              'rejections',
              ['file', 'user', 'reason', 'when'],
              body.map((r) =>
                h(
                  'tr',
                  { 'data-key': r.key },
                  h('td', { class: 'mono' }, r.key),
                  h('td', { class: 'mono' }, r.user_id),
                  h('td', { 'data-field': 'reason' }, r.reason),
                  h('td', { title: r.rejected_at }, formatDateTime(r.rejected_at)),
                ),
              ),
            )
          : h('p', { class: 'empty' }, 'No file is rejected.'),
      );
    })
    .catch((err: unknown) => {
      if (isAbort(err)) return;
      fill(problem, describeError(err));
      fill(results);
    });
  return () => aborter.abort();
}
