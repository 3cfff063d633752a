import { clearRejections } from '../db/queries/clearRejections';
import { deleteUsers } from '../db/queries/deleteUsers';
import { notifyUsersChanged } from '../db/queries/notifyUsersChanged';
import type { Queryable } from '../db/queries/queryable';
import type { Statement } from '../db/inOrder';
import { recordAbsences } from '../db/queries/recordAbsences';
import { recordRejections } from '../db/queries/recordRejections';
import { upsertUsers } from '../db/queries/upsertUsers';
import type { ReconcileDecision, UserRow } from '../domain/reconcileDecision';
import { csvKey } from '../domain/userKey';

/** What the batch's read under the locks found for a user. */
export interface HeldBefore {
  hadRow: boolean;
  /** Whether a rejection of its csv was recorded: only then is there one to clear. */
  hadRejection: boolean;
}

/**
 * The statements that write a batch's decisions set-wise, one per kind of write whatever the
 * batch's size (none for a kind with nothing to write), and the notice to the exporter when any
 * row changed. Users the batch leaves without a row (deleted, or none to write) are noted as
 * absent: a rebuild's listing rule needs to know (docs/design.md, "Pictures from the listing").
 * The caller sends them with its COMMIT (withTransaction's `lastly`).
 */
export function decisionWrites(
  tx: Queryable,
  decisions: readonly (ReconcileDecision & { userId: string })[],
  before: (userId: string) => HeldBefore,
): Statement[] {
  const upserts: UserRow[] = [];
  const deletes: string[] = [];
  const absent: string[] = [];
  const rejections: { key: string; userId: string; etag: string; reason: string }[] = [];
  const cleared: string[] = [];
  for (const d of decisions) {
    if (d.row.action === 'upsert') upserts.push(d.row.row);
    if (d.row.action === 'delete') deletes.push(d.userId);
    const held = before(d.userId);
    if (d.row.action === 'delete' || (d.row.action === 'keep' && !held.hadRow)) absent.push(d.userId);
    if (d.rejection.action === 'record') rejections.push({ key: d.rejection.key, userId: d.userId, etag: d.rejection.etag, reason: d.rejection.reason });
    else if (held.hadRejection) cleared.push(csvKey(d.userId));
  }
  const writes: Statement[] = [
    () => upsertUsers(tx, upserts),
    () => deleteUsers(tx, deletes),
    () => recordAbsences(tx, absent),
    () => recordRejections(tx, rejections),
    () => clearRejections(tx, cleared),
  ];
  return upserts.length > 0 || deletes.length > 0 ? [...writes, () => notifyUsersChanged(tx)] : writes;
}
