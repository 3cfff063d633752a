import { clearRejections } from '../db/queries/clearRejections';
import { deleteUsers } from '../db/queries/deleteUsers';
import { notifyUsersChanged } from '../db/queries/notifyUsersChanged';
import type { Queryable } from '../db/queries/queryable';
import { recordRejections } from '../db/queries/recordRejections';
import { upsertUsers } from '../db/queries/upsertUsers';
import type { ReconcileDecision, UserRow } from '../domain/reconcileDecision';
import { csvKey } from '../domain/userKey';

/**
 * Writes a batch's decisions set-wise, one statement per kind of write whatever the batch's
 * size, and notifies the exporter once when any row changed.
 */
export async function applyDecisions(tx: Queryable, decisions: readonly (ReconcileDecision & { userId: string })[]): Promise<void> {
  const upserts: UserRow[] = [];
  const deletes: string[] = [];
  const rejections: { key: string; userId: string; etag: string; reason: string }[] = [];
  const cleared: string[] = [];
  for (const d of decisions) {
    if (d.row.action === 'upsert') upserts.push(d.row.row);
    if (d.row.action === 'delete') deletes.push(d.userId);
    if (d.rejection.action === 'record') rejections.push({ key: d.rejection.key, userId: d.userId, etag: d.rejection.etag, reason: d.rejection.reason });
    else cleared.push(csvKey(d.userId));
  }
  await upsertUsers(tx, upserts);
  await deleteUsers(tx, deletes);
  await recordRejections(tx, rejections);
  await clearRejections(tx, cleared);
  if (upserts.length > 0 || deletes.length > 0) await notifyUsersChanged(tx);
}
