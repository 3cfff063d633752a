import { withTransaction } from '../db/createPool';
import { lockUsers } from '../db/queries/lockUsers';
import { selectUserRows } from '../db/queries/selectUserRows';
import { decideReconcile, type ReconcileDecision } from '../domain/reconcileDecision';
import { mapWithConcurrency } from '../util/mapWithConcurrency';
import { applyDecisions } from './applyDecisions';
import { observeUser } from './observeUser';
import type { ReconcileDeps } from './reconcileDeps';

export interface ReconcileOptions {
  /** Read the csv even when its ETag is the one the row was built from (a full rebuild). */
  reread?: boolean;
  now?: Date;
}

export interface ReconcileResult extends ReconcileDecision {
  userId: string;
  /** Whether a csv body was downloaded. */
  csvRead: boolean;
}

/**
 * Makes a set of users' rows match the bucket, in one transaction (docs/design.md, invariants
 * 2, 3 and 8): lock every user in one fixed order before reading the bucket for any of them;
 * read their rows in one query; observe the bucket for each, a few at a time; decide each with
 * the pure decision function; write set-wise; notify once; commit. Whoever locks last has
 * read the newest objects, and running it again over an unchanged bucket changes nothing.
 * One user is a batch of one: this is the only reconcile.
 */
export async function reconcileUsers(deps: ReconcileDeps, userIds: readonly string[], opts: ReconcileOptions = {}): Promise<ReconcileResult[]> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return [];
  const now = opts.now ?? new Date();
  return withTransaction(deps.pool, async (tx) => {
    await lockUsers(tx, ids);
    const rows = await selectUserRows(tx, ids);
    const observed = await mapWithConcurrency(ids, deps.readConcurrency ?? 16, (id) => observeUser(deps, id, rows.get(id) ?? null, opts.reread ?? false, now));
    const results = ids.map((userId, i) => ({ ...decideReconcile(userId, rows.get(userId) ?? null, observed[i]!.seen), userId, csvRead: observed[i]!.csvRead }));
    await applyDecisions(tx, results);
    return results;
  });
}

/** Reconciles one user: a batch of one. */
export async function reconcileUser(deps: ReconcileDeps, userId: string, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  return (await reconcileUsers(deps, [userId], opts))[0]!;
}
