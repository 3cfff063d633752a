import { fill, h, table } from './dom.js';
import { describeProgress, formatDateTime, formatDuration, formatNumber } from './format.js';
import { api, describeError } from './http.js';
import { pager } from './pager.js';
import { poll } from './poller.js';
import { queryString, routeHash } from './route.js';
import type { Job } from './types.js';

const PAGE_SIZE = '20';
/** How often a job is asked about while one is queued or running, and otherwise. */
const ACTIVE_POLL_MS = 1000;
const IDLE_POLL_MS = 10_000;
/** The counts a finished job's summary holds, in the order a person reads them. */
const SUMMARY_COUNTS = ['seen', 'inserted', 'updated', 'unchanged', 'deleted', 'rejected', 'absent', 'failed', 'csvReads'];

const active = (job: Job) => job.state === 'queued' || job.state === 'running';

/**
 * Rebuild jobs: "Rebuild now" (the console's one write: POST /data, optionally a full re-read)
 * follows the job it starts or joins (`job` in the URL) until it ends, with its progress; the
 * recent jobs below are paged. Both refresh every second while a job is queued or running.
 */
export function mountJobs(root: HTMLElement, params: URLSearchParams): () => void {
  const limit = params.get('limit') ?? PAGE_SIZE;
  const followed = params.get('job');
  const message = h('p', { role: 'status', id: 'rebuild-message' });
  const full = h('input', { type: 'checkbox', name: 'full', id: 'rebuild-full' });
  const start = h('button', { type: 'submit', id: 'rebuild-now' }, 'Rebuild now');
  const form = h(
    'form',
    { class: 'rebuild', id: 'rebuild-form' },
    start,
    h('label', { for: 'rebuild-full' }, full, ' full re-read: every csv, not only those whose ETag changed'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start.disabled = true;
    fill(message, 'Asking for a rebuild…');
    api<{ job: Job; joined: boolean }>('/data', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(full.checked ? { mode: 'full' } : {}),
    })
      .then(({ body }) => {
        location.hash = routeHash('jobs', { limit, job: body.job.id, joined: body.joined ? '1' : undefined });
      })
      .catch((err: unknown) => {
        start.disabled = false;
        fill(message, describeError(err));
      });
  });
  if (params.get('joined')) fill(message, 'A rebuild was already queued or running: this request joined it.');

  const current = h('div', { id: 'followed-job' });
  const problem = h('p', { class: 'error', role: 'alert', id: 'jobs-error' });
  const pages = h('div', { class: 'pages' });
  const results = h('div', { class: 'results' }, h('p', { class: 'loading' }, 'Loading…'));
  fill(root, h('h2', {}, 'Rebuilds'), form, message, current, h('h3', {}, 'Recent jobs'), problem, pages, results);

  return poll(async (signal) => {
    // The followed job fails alone (a link to a job that is not there): the list still shows.
    const job = followed
      ? await api<Job>(`/jobs/${encodeURIComponent(followed)}`, { signal }).then(
          (reply) => reply.body,
          (err: unknown) => {
            if (!signal.aborted) fill(current, h('p', { class: 'error', role: 'alert' }, `Job ${followed}: ${describeError(err)}`));
            return null;
          },
        )
      : null;
    const list = await api<Job[]>(`/jobs${queryString({ limit, cursor: params.get('cursor') })}`, { signal }).catch((err: unknown) => {
      if (!signal.aborted) fill(problem, describeError(err));
      throw err;
    });
    fill(problem);
    if (job) fill(current, jobPanel(job));
    fill(pages, pager(list.links, (cursor) => (location.hash = routeHash('jobs', { limit, cursor, job: followed }))));
    fill(results, list.body.length ? table('jobs', ['requested', 'state', 'mode', 'took', 'counts or progress', 'error'], list.body.map(jobRow)) : h('p', { class: 'empty' }, 'No rebuild has been asked for yet.'));
    return [...list.body, ...(job ? [job] : [])].some(active) ? ACTIVE_POLL_MS : IDLE_POLL_MS;
  });
}

function stateBadge(job: Job): HTMLElement {
  return h('span', { class: `state state-${job.state}`, 'data-job-state': job.state }, job.state);
}

function took(job: Job): string {
  if (!job.started_at) return '';
  const end = job.finished_at ? Date.parse(job.finished_at) : Date.now();
  return formatDuration((end - Date.parse(job.started_at)) / 1000);
}

function counts(job: Job): string {
  if (job.progress) return describeProgress(job.progress);
  return SUMMARY_COUNTS.filter((key) => typeof job.summary[key] === 'number')
    .map((key) => `${key} ${formatNumber(job.summary[key] as number)}`)
    .join(', ');
}

function jobRow(job: Job): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-job-id': job.id },
    h('td', { title: job.id }, formatDateTime(job.requested_at)),
    h('td', {}, stateBadge(job)),
    h('td', {}, job.mode),
    h('td', {}, took(job)),
    h('td', {}, counts(job)),
    h('td', { class: 'error' }, job.error ?? ''),
  );
}

/** The job the console follows: its state, a progress bar while it runs, its counts once done. */
function jobPanel(job: Job): HTMLElement {
  const progress = job.progress;
  return h(
    'section',
    { class: 'job', 'data-job-id': job.id, 'aria-live': 'polite' },
    h('p', {}, 'Rebuild ', h('span', { class: 'mono' }, job.id), ' (', job.mode, '): ', stateBadge(job), job.started_at ? ` · ${took(job)}` : ''),
    progress ? h('progress', { value: progress.done, max: Math.max(progress.total, 1) }) : null,
    h('p', { class: 'counts', 'data-field': 'counts' }, counts(job)),
    job.error ? h('p', { class: 'error' }, job.error) : null,
  );
}
