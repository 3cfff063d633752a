import { fill, h, table } from './dom.js';
import { completedYears, formatCount, formatDate } from './format.js';
import { api, ApiError, describeError, isAbort } from './http.js';
import { painted } from './painted.js';
import { pager } from './pager.js';
import { pick, queryString, routeHash } from './route.js';
import type { Count, User } from './types.js';

const FILTERS = ['is_image_exists', 'min_age', 'max_age'] as const;
const PAGE_SIZES = ['25', '50', '100', '250', '500'];
export const DEFAULT_PAGE_SIZE = '100';
/** How long a page of users waits to hear that its rows are on screen before it asks for their pictures anyway. */
const PICTURES_WAIT_MS = 1000;

/** Marked when the first page of users is in the page (the DOM): the console benchmark reads it from the browser's performance timeline. */
export const USERS_RENDERED_MARK = 'console:users-rendered';
/** Marked at the time the browser reports those rows painted on screen (painted.ts): what a person sees. */
export const USERS_PAINTED_MARK = 'console:users-painted';

/**
 * Users, filtered and paged as GET /data does it, the filters and page in the URL. A bad value
 * is sent as it is, and the API's 400 message is shown beside its field: the console never
 * second-guesses the API's rules.
 */
export function mountUsers(root: HTMLElement, params: URLSearchParams): () => void {
  const aborter = new AbortController();
  const signal = aborter.signal;
  const limit = params.get('limit') ?? DEFAULT_PAGE_SIZE;
  const filters = pick(params, FILTERS);
  // Asked first, before anything is built: the rows are what the view waits for.
  const page = api<User[]>(`/data${queryString({ ...filters, limit, cursor: params.get('cursor') })}`, { signal });
  const counted = api<Count>(`/data/count${queryString(filters)}`, { signal });
  const go = (changes: Record<string, string | null | undefined>) => {
    location.hash = routeHash('users', { ...filters, limit, cursor: params.get('cursor'), ...changes });
  };

  const errors = new Map(FILTERS.map((name) => [name as string, h('span', { class: 'field-error', 'data-error-for': name, role: 'alert' })]));
  errors.set('limit', h('span', { class: 'field-error', 'data-error-for': 'limit', role: 'alert' }));
  const input = (name: 'min_age' | 'max_age') =>
    h('input', { name, id: `filter-${name}`, inputmode: 'decimal', size: 6, autocomplete: 'off', value: filters[name] ?? '', placeholder: 'years' });
  const picture = h(
    'select',
    { name: 'is_image_exists', id: 'filter-is_image_exists' },
    ...[
      ['', 'any'],
      ['true', 'with a picture'],
      ['false', 'without'],
    ].map(([value, label]) => h('option', { value: value!, selected: (filters.is_image_exists ?? '').toLowerCase() === value }, label)),
  );
  const sizes = PAGE_SIZES.includes(limit) ? PAGE_SIZES : [...PAGE_SIZES, limit];
  const pageSize = h('select', { name: 'limit', id: 'filter-limit' }, ...sizes.map((size) => h('option', { value: size, selected: size === limit }, size)));
  const form = h(
    'form',
    { class: 'filters', id: 'user-filters' },
    h('label', { for: 'filter-is_image_exists' }, 'Picture'),
    picture,
    errors.get('is_image_exists'),
    h('label', { for: 'filter-min_age' }, 'Min age'),
    input('min_age'),
    errors.get('min_age'),
    h('label', { for: 'filter-max_age' }, 'Max age'),
    input('max_age'),
    errors.get('max_age'),
    h('label', { for: 'filter-limit' }, 'Per page'),
    pageSize,
    errors.get('limit'),
    h('button', { type: 'submit' }, 'Apply'),
    h('a', { href: routeHash('users', {}), class: 'reset' }, 'Reset'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    // Every field of this form is text (a file field would give a File).
    const text = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value : '';
    };
    // A new filter starts at its first page.
    go({ ...Object.fromEntries(FILTERS.map((name) => [name, text(name).trim()])), limit: text('limit'), cursor: null });
  });

  const count = h('span', { id: 'user-count' }, '…');
  const csv = h('a', { id: 'csv-link', href: `/data${queryString({ ...filters, format: 'csv' })}`, download: 'users.csv' }, 'Download these users as CSV');
  const problem = h('p', { class: 'error', role: 'alert', id: 'users-error' });
  const pages = h('div', { class: 'pages' });
  const results = h('div', { class: 'results' }, h('p', { class: 'loading' }, 'Loading…'));
  fill(root, h('h2', {}, 'Users'), form, h('p', { class: 'summary' }, count, ' · ', csv), problem, pages, results);

  const showError = (err: unknown) => {
    if (isAbort(err)) return;
    csv.hidden = true; // it would download the same 400
    const field = err instanceof ApiError && err.parameter ? errors.get(err.parameter) : undefined;
    if (field) fill(field, err instanceof ApiError ? err.message : '');
    else fill(problem, describeError(err));
    fill(results);
  };

  void page
    .then(({ body: users, links }) => {
      const now = new Date();
      fill(pages, pager(links, (cursor) => go({ cursor })));
      const thumbnails: Thumbnail[] = [];
      const rows = users.map((u) => userRow(u, now, thumbnails));
      fill(results, users.length ? table('users', ['id', 'user_id', 'first name', 'last name', 'birthdate', 'age', 'picture'], rows) : h('p', { class: 'empty' }, 'No user matches.'));
      performance.mark(USERS_RENDERED_MARK);
      if (!rows[0]) return;
      // The first row's user_id is painted in the same frame as every other row. The pictures are
      // asked for once the rows are on screen: their requests, and the API's and MinIO's work for
      // them, would otherwise share the machine with the rows' layout and paint (not knowing after
      // PICTURES_WAIT_MS, as when the rows are out of sight, they are asked for anyway).
      const first = !paintMarked;
      paintMarked = true;
      const shown = painted(rows[0].cells[1]!, USERS_PAINTED_MARK, signal);
      // Once a page load: the first render is what is timed.
      if (first) void shown.then((time) => time === undefined || performance.mark(USERS_PAINTED_MARK, { startTime: time }));
      void Promise.race([shown, new Promise((resolve) => setTimeout(resolve, PICTURES_WAIT_MS))]).then(() => {
        if (!signal.aborted) for (const thumbnail of thumbnails) showThumbnail(thumbnail);
      });
    })
    .catch(showError);
  void counted
    .then(({ body }) => fill(count, formatCount(body, 'user')))
    .catch((err: unknown) => isAbort(err) || fill(count, '—'));

  return () => aborter.abort();
}

let paintMarked = false;

/** A row's cells and a picture's elements, made once and cloned for each user: a page of 100 rows builds 700 cells. */
let rowTemplate: HTMLTableRowElement | undefined;
let thumbTemplate: HTMLImageElement | undefined;
let noPictureTemplate: HTMLSpanElement | undefined;

/** A user's picture, in the page but not yet asked for. */
interface Thumbnail {
  img: HTMLImageElement;
  userId: string;
}

function userRow(user: User, now: Date, thumbnails: Thumbnail[]): HTMLTableRowElement {
  rowTemplate ??= h(
    'tr',
    {},
    h('td', { class: 'num' }),
    h('td', { class: 'mono' }),
    h('td', { 'data-field': 'first_name' }),
    h('td', { 'data-field': 'last_name' }),
    h('td'),
    h('td', { class: 'num', 'data-field': 'age' }),
    h('td', { class: 'picture' }),
  );
  const row = rowTemplate.cloneNode(true) as HTMLTableRowElement;
  row.setAttribute('data-user-id', user.user_id);
  const [id, userId, firstName, lastName, birthdate, age, picture] = row.cells as unknown as HTMLTableCellElement[];
  // Text, never HTML: textContent makes one text node of the value as it is.
  id!.textContent = String(user.id);
  userId!.textContent = user.user_id;
  firstName!.textContent = user.first_name;
  lastName!.textContent = user.last_name;
  birthdate!.title = user.birthdate;
  birthdate!.textContent = formatDate(user.birthdate);
  age!.textContent = String(completedYears(user.birthts, now));
  if (user.img_path) {
    // Its place is kept (48 by 48) and it gets its source later (showThumbnail); loading=lazy
    // before src, as h() would set them: the picture then waits until it is scrolled to.
    thumbTemplate ??= h('img', { class: 'thumb', loading: 'lazy', decoding: 'async', width: 48, height: 48 });
    const img = thumbTemplate.cloneNode() as HTMLImageElement;
    picture!.append(img);
    thumbnails.push({ img, userId: user.user_id });
  } else {
    noPictureTemplate ??= h('span', { class: 'no-picture', title: 'no picture' }, '—');
    picture!.append(noPictureTemplate.cloneNode(true));
  }
  return row;
}

/**
 * Asks for a thumbnail (when it is scrolled to). Its alt text comes with its source: an image
 * without a source shows its alt text, and laying that out would cost as much as the picture.
 */
function showThumbnail({ img, userId }: Thumbnail): void {
  img.alt = `picture of ${userId}`;
  img.src = `/users/${encodeURIComponent(userId)}/image`;
}
