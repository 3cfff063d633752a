import { usersInBucket } from '@userpipe/shared/testing';
import { lagging } from './caughtUp';
import { checkApi, checkBucket, checkDeadLetters, checkOutputCsv, checkPostgres, type CheckContext, type CheckResult } from './checks';
import type { AckLedger } from './ledger';
import { appliedRows, listBucket } from './readers';
import { sleep } from './untilAcknowledged';

export interface Convergence {
  /** When Postgres was last found caught up with the bucket (the cheap test), or null. */
  caughtUpAt: number | null;
  /** When the look at the bucket began whose checks all passed with the queues quiet, or null if none before the deadline. */
  passedAt: number | null;
  /** When the last checks were done (they read every csv, so they take a while). */
  checkedAt: number;
  /** The checks as last run: all five. */
  results: CheckResult[];
  /** Users whose rows were still behind the bucket at the end (empty once caught up). */
  behind: string[];
  /** Queues not empty at the end (name: depth, null when unreadable). */
  busyQueues: Record<string, number | null>;
}

/**
 * Waits for the pipeline to converge after the storm: each second, a listing and one query say
 * whether Postgres has caught up (caughtUp.ts); once it has, the oracle is computed from the
 * bucket (every csv read) and checks (b) Postgres, (c) GET /data and (d) output.csv are run,
 * and the ingest and delay queues must be empty (a message still being retried could yet be
 * dead-lettered). Converged when all hold; then (a) and (e) are taken too. Check (a) does not
 * gate convergence: the pipeline follows the bucket, whatever the bucket holds. At the
 * deadline, every check is run once more as things are, so the report says what is wrong.
 */
export async function awaitConvergence(
  ctx: CheckContext,
  ledger: AckLedger,
  opts: { deadlineAt: number; queues: string[]; deadLettersBefore: number | null; onCaughtUp: (caughtUp: boolean) => void; now?: () => number },
): Promise<Convergence> {
  const now = opts.now ?? Date.now;
  let caughtUpAt: number | null = null;
  for (;;) {
    const t = now();
    const final = t >= opts.deadlineAt;
    const listing = await listBucket(ctx.minio, ctx.srcBucket, ctx.prefix).catch(() => null);
    const behind = listing ? lagging(listing, ctx.srcBucket, await appliedRows(ctx.pool, ctx.prefix).catch(() => [{ user_id: '(Postgres unreadable)', csv_etag: '', img_path: null }])) : ['(bucket unlistable)'];
    if (behind.length === 0) caughtUpAt ??= t;
    else caughtUpAt = null;
    opts.onCaughtUp(behind.length === 0);

    if (behind.length === 0 || final) {
      const busyQueues: Record<string, number | null> = {};
      for (const q of opts.queues) {
        const depth = await ctx.rabbit.depth(q, 3000);
        if (depth !== 0) busyQueues[q] = depth;
      }
      const oracle = await usersInBucket(ctx.minio, ctx.srcBucket, { prefix: ctx.prefix, concurrency: 8 }).catch((err: Error) => err);
      const pipeline =
        oracle instanceof Error
          ? (['b', 'c', 'd'] as const).map((id) => ({ id, name: `check ${id}`, ok: false, detail: `the oracle could not read the bucket: ${oracle.message}` }))
          : await Promise.all([checkPostgres(ctx, oracle), checkApi(ctx, oracle), checkOutputCsv(ctx, oracle)]);
      if ((pipeline.every((r) => r.ok) && Object.keys(busyQueues).length === 0) || final) {
        const bucket = listing ? checkBucket(ledger, listing) : { id: 'a' as const, name: 'bucket = acknowledged state', ok: false, detail: 'could not list the bucket' };
        const results = [bucket, ...pipeline, await checkDeadLetters(ctx, opts.deadLettersBefore)];
        const passed = pipeline.every((r) => r.ok) && Object.keys(busyQueues).length === 0;
        return { caughtUpAt, passedAt: passed ? t : null, checkedAt: now(), results, behind, busyQueues };
      }
    }
    await sleep(Math.max(0, Math.min(1000, opts.deadlineAt - now())));
  }
}
