import { h } from './dom.js';
import { cursorOf, type PageLinks } from './links.js';

/**
 * Previous and next buttons for a keyset page, from the API's Link header: each goes to the
 * cursor its link names (none: the first page). A button without a link is disabled.
 */
export function pager(links: PageLinks, go: (cursor: string | null) => void): HTMLElement {
  const button = (rel: 'prev' | 'next', label: string) => {
    const url = links[rel];
    return h('button', { type: 'button', 'data-page': rel, disabled: url === undefined, onclick: () => url !== undefined && go(cursorOf(url)) }, label);
  };
  return h('nav', { class: 'pager', 'aria-label': 'pages' }, button('prev', '← Previous'), button('next', 'Next →'));
}
