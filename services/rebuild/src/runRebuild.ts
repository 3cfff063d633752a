import type { Client } from 'minio';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { bareEtag, reconcileUser, reconcileUsers, selectRecordedUsers, type Logger, type Pool, type ReconcileDeps, type ReconcileOutcome } from '@userpipe/shared';
import { groupUserKeys, type ListedUser } from './groupUserKeys';
import { createLimiter } from './limiter';
import { canSkip } from './rebuildDecision';

export interface RebuildSummary {
  mode: 'default' | 'full';
  /** Users found in the bucket or in Postgres. */
  seen: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: number;
  /** Pictures without a csv, for users Postgres does not know either. */
  absent: number;
  failed: number;
  /** csv bodies downloaded. */
  csvReads: number;
  durationMs: number;
  failures: { userId: string; error: string }[];
}

export interface RebuildDeps extends ReconcileDeps {
  /** Its own session: it holds a temporary table of the users found in the bucket. */
  session: pg.ClientBase;
  logger: Logger;
}

const BATCH = 500;
/** Users reconciled in one transaction. */
const RECONCILE_BATCH = 50;
/** Batches in flight: one's writes overlap the other's reads of the bucket. */
const BATCHES_IN_FLIGHT = 2;
const ATTEMPTS = 3;

export function emptySummary(mode: RebuildSummary['mode']): RebuildSummary {
  return { mode, seen: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0, absent: 0, failed: 0, csvReads: 0, durationMs: 0, failures: [] };
}

async function* listBucket(minio: Client, bucket: string) {
  for await (const item of minio.listObjectsV2(bucket, '', false)) if (item.name) yield { name: item.name, etag: bareEtag(item.etag) };
}

/**
 * Reconcile over every user (docs/design.md, invariant 7): the users listed in the bucket, then those
 * only Postgres knows (their files are gone, so reconcile deletes them), each through the
 * worker's own reconcile, in batches of users per transaction with `concurrency` object reads
 * in flight. Memory holds a batch of users, never the
 * listing: the users already seen wait in a temporary table. Safe while events keep flowing,
 * since every reconcile takes the user's lock and reads the bucket under it.
 */
export async function runRebuild(
  deps: RebuildDeps,
  opts: { full: boolean; concurrency: number; onProgress?: (s: RebuildSummary) => void },
): Promise<RebuildSummary> {
  const started = performance.now();
  const summary = emptySummary(opts.full ? 'full' : 'default');
  const limiter = createLimiter(BATCHES_IN_FLIGHT);
  const batchDeps = { ...deps, readConcurrency: Math.max(1, Math.ceil(opts.concurrency / BATCHES_IN_FLIGHT)) };

  const count = (outcome: ReconcileOutcome) => {
    summary[outcome]++;
    opts.onProgress?.(summary);
  };
  const counted = (result: { outcome: ReconcileOutcome; csvRead: boolean }) => {
    if (result.csvRead) summary.csvReads++;
    count(result.outcome);
  };
  // Alone, with retries: what a failed batch falls back to, so one bad user fails alone.
  const reconcileAlone = async (userId: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        counted(await reconcileUser(deps, userId, { reread: opts.full }));
        return;
      } catch (err) {
        if (attempt >= ATTEMPTS) {
          summary.failed++;
          if (summary.failures.length < 20) summary.failures.push({ userId, error: (err as Error).message });
          deps.logger.error({ err, userId }, 'rebuild could not reconcile a user');
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  };
  const reconcileBatch = async (userIds: string[]) => {
    try {
      (await reconcileUsers(batchDeps, userIds, { reread: opts.full })).forEach(counted);
    } catch (err) {
      deps.logger.warn({ err, users: userIds.length }, 'a rebuild batch failed; reconciling its users one by one');
      for (const userId of userIds) await reconcileAlone(userId);
    }
  };
  let pending: string[] = [];
  const reconcile = async (userId: string) => {
    pending.push(userId);
    if (pending.length >= RECONCILE_BATCH) await flush();
  };
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) await limiter.schedule(() => reconcileBatch(batch));
  };

  await deps.session.query('CREATE TEMP TABLE IF NOT EXISTS rebuild_seen (user_id text COLLATE "C" PRIMARY KEY) ON COMMIT PRESERVE ROWS');
  await deps.session.query('TRUNCATE rebuild_seen');

  const processBatch = async (batch: ListedUser[]) => {
    const ids = batch.map((u) => u.userId);
    await deps.session.query('INSERT INTO rebuild_seen SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [ids]);
    const recorded = await selectRecordedUsers(deps.pool, ids);
    for (const user of batch) {
      summary.seen++;
      const r = recorded.get(user.userId);
      const asRecorded = r && { csvEtag: r.csv_etag, imgPath: r.img_path, rejectedEtag: r.rejected_etag };
      if (canSkip(user, asRecorded, deps.srcBucket, opts.full)) count('unchanged');
      else await reconcile(user.userId);
    }
  };

  let batch: ListedUser[] = [];
  for await (const user of groupUserKeys(listBucket(deps.minio, deps.srcBucket))) {
    batch.push(user);
    if (batch.length >= BATCH) {
      await processBatch(batch);
      batch = [];
    }
  }
  await processBatch(batch);

  // Users only Postgres knows: rows, or rejections, whose files are no longer listed.
  const orphans = deps.session.query(
    new QueryStream(
      `SELECT user_id FROM users u WHERE NOT EXISTS (SELECT 1 FROM rebuild_seen s WHERE s.user_id = u.user_id)
       UNION
       SELECT user_id FROM rejected_files r WHERE NOT EXISTS (SELECT 1 FROM rebuild_seen s WHERE s.user_id = r.user_id)`,
      [],
      { batchSize: 1000 },
    ),
  );
  for await (const row of orphans as AsyncIterable<{ user_id: string }>) {
    summary.seen++;
    await reconcile(row.user_id);
  }
  await flush();
  await limiter.idle();
  await deps.session.query('DROP TABLE IF EXISTS rebuild_seen');
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}
