import { eventually } from '@userpipe/shared/testing';
import { withConsoleApi } from './testConsoleApi';

// The console's jobs and pipeline views in headless Chromium: the rebuild button runs a real
// rebuild (the rebuild service as its own process), and the pipeline view shows RabbitMQ's counts.

describe('the console: jobs and pipeline', () => {
  const api = withConsoleApi({
    rebuild: { REBUILD_PROGRESS_INTERVAL_MS: '200' },
    seed: async (stack) => {
      for (const [id, first] of [['ada', 'Ada'], ['alan', 'Alan'], ['grace', 'Grace']] as const) await stack.putUser(id, first, 'Tester', Date.UTC(1950, 0, 1));
    },
  });
  const { browser } = api;

  it('"Rebuild now" with a full re-read starts a job that the page follows until it succeeds', async () => {
    const page = await api.open('#/jobs');
    await page.waitForSelector('.results .empty, table.jobs');
    await page.check('#rebuild-full');
    await page.click('#rebuild-now');
    await page.waitForURL(/#\/jobs\?.*job=[0-9a-f-]{36}/);
    const jobId = /job=([0-9a-f-]{36})/.exec(page.url())![1]!;
    const state = page.locator(`#followed-job [data-job-state]`);
    await eventually(async () => expect(await state.getAttribute('data-job-state')).toBe('succeeded'), { timeoutMs: 45_000, intervalMs: 200 });
    expect(await page.textContent('#followed-job [data-field="counts"]')).toMatch(/seen 3, inserted 3/);
    expect(await page.getAttribute(`table.jobs tr[data-job-id="${jobId}"] [data-job-state]`, 'data-job-state')).toBe('succeeded');
    const { rows } = await api.stack.db.query('SELECT state, mode FROM rebuild_jobs WHERE id = $1', [jobId]);
    expect(rows).toEqual([{ state: 'succeeded', mode: 'full' }]);
    expect((await api.stack.users()).map((u) => u.user_id)).toEqual(['ada', 'alan', 'grace']);
    await browser.screenshot(page, 'jobs');
    expect(browser.problems).toEqual([]);
  });

  it('shows the ingest queue\'s depth as RabbitMQ counts it, dead letters with how to replay them, and each service\'s health', async () => {
    // The worker's queues, unbound: other test files' bucket events must not move these depths.
    const ch = await api.stack.channel();
    const t = api.stack.topology;
    for (const name of [t.queue, t.deadLetterQueue]) await ch.assertQueue(name, { durable: true });
    for (let i = 0; i < 5; i++) await api.stack.sendToQueue(t.queue, `{"n":${i}}`);
    await api.stack.sendToQueue(t.deadLetterQueue, 'failed');
    await eventually(async () => expect(await api.stack.messageCount(t.queue)).toBe(5));

    const page = await api.open('#/pipeline');
    const shown = (kind: string, field: string) => page.textContent(`tr[data-queue="${kind}"] [data-field="${field}"]`);
    await page.waitForSelector('tr[data-queue="ingest"]');
    expect(await shown('ingest', 'messages')).toBe(String(await api.stack.messageCount(t.queue)));
    expect(await shown('ingest', 'consumers')).toBe('0');
    expect(await shown('dead_letters', 'messages')).toBe('1');
    expect(await page.textContent('#replay-hint')).toMatch(/make replay-dead-letters/);
    expect(await shown('rebuild_requests', 'consumers')).toBe('1');
    expect(await page.textContent('tr[data-check="rebuild"] [data-field="ok"]')).toBe('ready');
    expect(await page.textContent('tr[data-check="postgres"] [data-field="ok"]')).toBe('ready');
    // The rebuild of the test above exported output.csv with its three users.
    expect(await page.textContent('#last-export')).toMatch(/^Last exported .* ago .*: 3 rows/);
    expect(await page.textContent('#counts')).toBe('3 users · 0 rejected files');

    // It refreshes by itself: three more messages show within a few seconds.
    for (let i = 0; i < 3; i++) await api.stack.sendToQueue(t.queue, `{"more":${i}}`);
    await eventually(async () => expect(await shown('ingest', 'messages')).toBe('8'), { timeoutMs: 10_000, intervalMs: 250 });
    expect(await api.stack.messageCount(t.queue)).toBe(8);
    await browser.screenshot(page, 'pipeline');
    expect(browser.problems).toEqual([]);
  });
});
