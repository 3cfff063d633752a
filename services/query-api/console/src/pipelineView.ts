import { fill, h, table } from './dom.js';
import { describeProgress, formatAgo, formatBytes, formatCount, formatDateTime, formatDuration, formatNumber } from './format.js';
import { api, describeError } from './http.js';
import { poll } from './poller.js';
import { routeHash } from './route.js';
import type { Check, PipelineStatus, QueueDepth } from './types.js';

/** GET /status is gathered at most once a second on the server; every few seconds is enough for a person. */
export const STATUS_REFRESH_MS = 3000;

/** The pipeline at a glance, refreshed every few seconds while the view is open. */
export function mountPipeline(root: HTMLElement): () => void {
  const updated = h('p', { class: 'hint', id: 'status-updated' }, 'Loading…');
  const problem = h('p', { class: 'error', role: 'alert', id: 'status-error' });
  const body = h('div', { class: 'status' });
  fill(root, h('h2', {}, 'Pipeline'), updated, problem, body);

  return poll(async (signal) => {
    try {
      const { body: status } = await api<PipelineStatus>('/status', { signal });
      fill(problem);
      fill(updated, `As of ${formatDateTime(status.generated_at)} · refreshed every ${STATUS_REFRESH_MS / 1000} s`);
      fill(body, ...render(status));
    } catch (err) {
      if (!signal.aborted) fill(problem, describeError(err));
    }
    return STATUS_REFRESH_MS;
  });
}

function checkRow(check: Check, what: string): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-check': check.name },
    h('td', {}, check.name),
    h('td', {}, what),
    h('td', {}, h('span', { class: `state state-${check.ok ? 'ok' : 'failing'}`, 'data-field': 'ok' }, check.ok ? 'ready' : 'failing')),
    h('td', { class: 'detail' }, check.detail ?? ''),
  );
}

function queueRow(role: string, kind: string, queue: QueueDepth, note: string | Node = ''): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-queue': kind, 'data-name': queue.name },
    h('td', { class: 'mono' }, queue.name),
    h('td', {}, role),
    h('td', { class: 'num', 'data-field': 'messages' }, queue.messages === null ? '—' : queue.messages),
    h('td', { class: 'num', 'data-field': 'consumers' }, queue.consumers === null ? '—' : queue.consumers),
    h('td', { class: 'detail' }, queue.error ?? '', queue.error && note ? ' ' : '', note),
  );
}

function render(status: PipelineStatus): Node[] {
  const { queues } = status;
  const now = new Date();
  const dead = queues.dead_letters;
  const replay =
    dead.messages !== null && dead.messages > 0
      ? h('span', { class: 'warning', id: 'replay-hint' }, `${formatNumber(dead.messages)} failed every retry. After fixing the cause, replay them: `, h('code', {}, dead.replay))
      : '';
  const exported = status.output_export;
  const job = status.active_job;
  return [
    h('h3', {}, 'Services'),
    table('checks', ['name', 'what', 'state', 'detail'], [
      ...status.services.map((s) => checkRow(s, `health server ${s.url}`)),
      ...status.dependencies.map((d) => checkRow(d, 'as the query API reaches it')),
    ]),
    h('h3', {}, 'Queues'),
    table('queues', ['queue', 'role', 'messages', 'consumers', 'note'], [
      queueRow('bucket events for the ingest workers', 'ingest', queues.ingest),
      queueRow('dead letters: failed every retry', 'dead_letters', dead, replay),
      ...queues.retries.map((q) => queueRow(`retry after ${formatDuration(q.delay_ms / 1000)}`, 'retry', q)),
      queueRow('rebuild requests for the rebuild service', 'rebuild_requests', queues.rebuild_requests),
    ]),
    h('h3', {}, 'output.csv'),
    h(
      'p',
      { id: 'last-export' },
      exported
        ? `Last exported ${formatAgo(exported.finished_at, now)} (${formatDateTime(exported.finished_at)}): ${formatNumber(exported.rows)} rows, ${formatBytes(exported.bytes)}, in ${exported.seconds.toFixed(2)} s.`
        : 'Not exported yet.',
    ),
    h('h3', {}, 'Data'),
    status.counts
      ? h(
          'p',
          { id: 'counts' },
          h('a', { href: routeHash('users', {}) }, formatCount(status.counts.users, 'user')),
          ' · ',
          h('a', { href: routeHash('rejections', {}) }, formatCount(status.counts.rejections, 'rejected file')),
        )
      : h('p', { id: 'counts' }, 'Postgres could not be read.'),
    h('h3', {}, 'Rebuild'),
    job
      ? h('p', { id: 'active-job' }, h('a', { href: routeHash('jobs', { job: job.id }) }, `A ${job.mode} rebuild is ${job.state}`), job.progress ? `: ${describeProgress(job.progress)}` : '.')
      : h('p', { id: 'active-job' }, 'None queued or running. ', h('a', { href: routeHash('jobs', {}) }, 'Start one')),
  ];
}
