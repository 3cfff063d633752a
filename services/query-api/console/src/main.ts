import { mountJobs } from './jobsView.js';
import { mountPipeline } from './pipelineView.js';
import { mountRejections } from './rejectionsView.js';
import { parseRoute, type View } from './route.js';
import { mountUsers } from './usersView.js';

/** Each view draws itself into the page and returns what stops it (requests in flight, polling). */
const VIEWS: Record<View, (root: HTMLElement, params: URLSearchParams) => () => void> = {
  users: mountUsers,
  rejections: mountRejections,
  jobs: mountJobs,
  pipeline: mountPipeline,
};

let unmount: (() => void) | undefined;

/** Shows the view the URL names: on load, and whenever the fragment changes (links, back and forward, the views' own navigation). */
function show(): void {
  const { view, params } = parseRoute(location.hash);
  unmount?.();
  const root = document.getElementById('view')!;
  root.replaceChildren();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav.views a[data-view]')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  unmount = VIEWS[view](root, params);
}

window.addEventListener('hashchange', show);
show();
