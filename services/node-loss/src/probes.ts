import type pg from 'pg';
import { sumCounter } from './prometheus';
import type { RabbitAdmin } from './rabbitAdmin';

/**
 * The three readings of a progress sample, each answering null rather than throwing or waiting
 * long, since they are taken every 250 ms while nodes die.
 */
export interface Probes {
  /** Bucket events the worker has handled, any outcome (its Prometheus counter). */
  workerEvents(): Promise<number | null>;
  /** Postgres' users_write_seq: drawn by every row written and every user left without a row. */
  writeSeq(): Promise<number | null>;
  /** Ready messages in the ingest queue. */
  queueDepth(): Promise<number | null>;
}

export function liveProbes({ metricsUrl, pool, rabbit, queue }: { metricsUrl: string; pool: pg.Pool; rabbit: RabbitAdmin; queue: string }): Probes {
  return {
    async workerEvents() {
      try {
        const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(1000) });
        return res.ok ? sumCounter(await res.text(), 'userpipe_events_total') : null;
      } catch {
        return null;
      }
    },
    async writeSeq() {
      try {
        const { rows } = await pool.query<{ last_value: string }>('SELECT last_value FROM users_write_seq');
        return rows[0] ? Number(rows[0].last_value) : null;
      } catch {
        return null;
      }
    },
    queueDepth: () => rabbit.depth(queue, 1000),
  };
}
