import { SingleBar } from 'cli-progress';
import type { Logger } from '@userpipe/shared';
import type { RebuildSummary } from './runRebuild';

/**
 * Progress a person can follow: a bar with count, rate and ETA on a terminal; otherwise a log
 * line every few seconds. The total is an estimate (users Postgres knew at the start) that
 * grows if the bucket holds more.
 */
export function createProgressReporter(opts: { tty: boolean; logger: Logger; intervalMs: number; expectedTotal: number; onTick?: (s: RebuildSummary) => void }) {
  const started = Date.now();
  let latest: RebuildSummary | undefined;
  const done = (s: RebuildSummary) => s.inserted + s.updated + s.unchanged + s.deleted + s.rejected + s.absent + s.failed;
  const bar = opts.tty
    ? new SingleBar({ format: 'rebuild [{bar}] {value}/{total} users | {rate}/s | ETA {eta_formatted} | {changes}', hideCursor: true, etaBuffer: 200 })
    : undefined;
  bar?.start(Math.max(1, opts.expectedTotal), 0, { rate: '0', changes: '' });

  const render = () => {
    if (!latest) return;
    const n = done(latest);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(n / seconds) : 0;
    const total = Math.max(opts.expectedTotal, latest.seen, n);
    const changes = `+${latest.inserted} ~${latest.updated} -${latest.deleted} !${latest.rejected}`;
    if (bar) {
      bar.setTotal(total);
      bar.update(n, { rate: String(rate), changes });
    } else {
      const eta = rate > 0 ? Math.round((total - n) / rate) : null;
      opts.logger.info({ done: n, total, perSecond: rate, etaSeconds: eta, inserted: latest.inserted, updated: latest.updated, deleted: latest.deleted, rejected: latest.rejected }, 'rebuild progress');
    }
    opts.onTick?.(latest);
  };
  const timer = setInterval(render, bar ? 200 : opts.intervalMs);

  return {
    update(s: RebuildSummary) {
      latest = s;
    },
    stop() {
      clearInterval(timer);
      render();
      bar?.stop();
    },
  };
}
