import type { Client } from 'minio';
import type { Logger } from 'pino';
import type { Counter, Histogram } from 'prom-client';
import type { Pool } from '../db/createPool';
import { exportOutputCsv, type ExportTarget } from './exportOutputCsv';

/** The metrics an exporter keeps: exports by result, and their duration. */
export interface ExportMetrics {
  exports: Counter<'result'>;
  exportSeconds: Histogram;
}

/**
 * The export an `ExportLeader` runs: writes output.csv, logs where, how many rows and how long,
 * and counts the result. A failure is counted and thrown again, so the leader retries it.
 */
export function outputCsvExporter(deps: { pool: Pool; minio: Client; target: ExportTarget; logger: Logger; metrics: ExportMetrics }): () => Promise<void> {
  const { pool, minio, target, logger, metrics } = deps;
  return async () => {
    const stopTimer = metrics.exportSeconds.startTimer();
    try {
      const result = await exportOutputCsv(pool, minio, target);
      metrics.exports.inc({ result: 'ok' });
      logger.info({ ...result, output: `${target.bucket}/${target.key}`, seconds: stopTimer() }, 'output.csv exported');
    } catch (err) {
      metrics.exports.inc({ result: 'failed' });
      throw err;
    }
  };
}
