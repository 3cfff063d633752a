import type { Client } from 'minio';
import type pg from 'pg';
import {
  addSeenUsers,
  drawWriteSeq,
  dropSeenUsers,
  isSeenOnlyExtension,
  listBucketPages,
  listingApplied,
  NOTHING_APPLIED,
  pruneAbsences,
  reconcileUser,
  reconcileUsers,
  recordPictureExtensions,
  selectAppliedStates,
  startSeenUsers,
  streamUnseenUsers,
  type AppliedState,
  type ImageExtension,
  type ListedUser,
  type Logger,
  type ReconcileDeps,
  type ReconcileOutcome,
} from '@userpipe/shared';
import { groupUserKeys, type ListedUserKeys } from './groupUserKeys';
import { createLimiter } from './limiter';

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

/** A listed user, with its picture as listed, or a user only Postgres knows (no listing to offer). */
type ToReconcile = Pick<ListedUser, 'userId'> & Partial<Pick<ListedUser, 'imageKey'>>;

const BATCH = 500;
/** Users reconciled in one transaction. */
const RECONCILE_BATCH = 50;
/** Batches in flight: one's writes overlap the other's reads of the bucket. */
const BATCHES_IN_FLIGHT = 2;
const ATTEMPTS = 3;

export function emptySummary(mode: RebuildSummary['mode']): RebuildSummary {
  return { mode, seen: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0, absent: 0, failed: 0, csvReads: 0, durationMs: 0, failures: [] };
}

/** The bucket's objects in key order; the next page is asked for while a batch works on this one. */
async function* listBucket(minio: Client, bucket: string) {
  for await (const page of listBucketPages(minio, bucket)) yield* page;
}

/**
 * Reconcile over every user (docs/design.md, invariant 7): the users listed in the bucket, then those
 * only Postgres knows (their files are gone, so reconcile deletes them), each through the
 * worker's own reconcile, in batches of users per transaction with `concurrency` object reads
 * in flight, taking pictures from the listing where that is safe. Memory holds a batch of
 * users, never the listing: the users already seen wait in a temporary table. Safe while events keep flowing,
 * since every reconcile takes the user's lock and reads the bucket under it.
 */
export async function runRebuild(
  deps: RebuildDeps,
  opts: { full: boolean; concurrency: number; onProgress?: (s: RebuildSummary) => void },
): Promise<RebuildSummary> {
  const started = performance.now();
  const summary = emptySummary(opts.full ? 'full' : 'default');
  const limiter = createLimiter(BATCHES_IN_FLIGHT);
  const seenExtensions = deps.seenExtensions ?? new Set<ImageExtension>();
  const batchDeps = { ...deps, seenExtensions, readConcurrency: Math.max(1, Math.ceil(opts.concurrency / BATCHES_IN_FLIGHT)) };

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
  // A listed user's picture comes from the listing where it holds (docs/design.md, "Pictures from the listing").
  const listingSeq = await drawWriteSeq(deps.pool);
  // Older absences matter only to a rebuild that listed before them, and this one runs alone (the runner lock).
  await pruneAbsences(deps.pool, listingSeq);
  const reconcileBatch = async (batch: ToReconcile[]) => {
    const userIds = batch.map((u) => u.userId);
    const imageKeys = new Map(batch.flatMap((u) => (u.imageKey === undefined ? [] : [[u.userId, u.imageKey] as const])));
    try {
      (await reconcileUsers(batchDeps, userIds, { reread: opts.full, listing: { seq: listingSeq, imageKeys } })).forEach(counted);
    } catch (err) {
      deps.logger.warn({ err, users: userIds.length }, 'a rebuild batch failed; reconciling its users one by one');
      for (const userId of userIds) await reconcileAlone(userId);
    }
  };
  let pending: ToReconcile[] = [];
  const reconcile = async (user: ToReconcile) => {
    pending.push(user);
    if (pending.length >= RECONCILE_BATCH) await flush();
  };
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) await limiter.schedule(() => reconcileBatch(batch));
  };

  await startSeenUsers(deps.session);

  // The default mode skips users whose listing shows what is applied (docs/design.md, invariant 8); --full skips nobody.
  const processBatch = async (batch: ListedUserKeys[]) => {
    await recordListedPictures(batch);
    const ids = batch.map((u) => u.userId);
    await addSeenUsers(deps.session, ids);
    const applied = opts.full ? new Map<string, AppliedState>() : await selectAppliedStates(deps.pool, ids);
    for (const user of batch) {
      summary.seen++;
      if (!opts.full && listingApplied(user, deps.srcBucket, applied.get(user.userId) ?? NOTHING_APPLIED)) count('unchanged');
      else await reconcile(user);
    }
  };

  // Every jpg or jpeg listed counts as seen (docs/design.md, "Pictures looked for"), also one
  // behind a preferred png or of a user left unchanged: so a jpg whose event was lost is looked
  // for by every reconcile after this one, as it would have been had its event come.
  const recordListedPictures = async (batch: ListedUserKeys[]) => {
    const shown = [...new Set(batch.flatMap((u) => u.pictureExtensions))].filter((ext) => isSeenOnlyExtension(ext) && !seenExtensions.has(ext));
    if (shown.length > 0) for (const ext of await recordPictureExtensions(deps.pool, shown)) seenExtensions.add(ext);
  };

  let batch: ListedUserKeys[] = [];
  for await (const user of groupUserKeys(listBucket(deps.minio, deps.srcBucket))) {
    batch.push(user);
    if (batch.length >= BATCH) {
      await processBatch(batch);
      batch = [];
    }
  }
  await processBatch(batch);

  // Users only Postgres knows: rows, or rejections, whose files are no longer listed.
  for await (const row of streamUnseenUsers(deps.session)) {
    summary.seen++;
    await reconcile({ userId: row.user_id });
  }
  await flush();
  await limiter.idle();
  await dropSeenUsers(deps.session);
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}
