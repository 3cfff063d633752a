import type { Client } from 'minio';
import type { Pool } from '../db/createPool';
import { withTransaction } from '../db/createPool';
import { clearRejection } from '../db/queries/clearRejection';
import { deleteUser } from '../db/queries/deleteUser';
import { lockUser } from '../db/queries/lockUser';
import { notifyUsersChanged } from '../db/queries/notifyUsersChanged';
import { recordRejection } from '../db/queries/recordRejection';
import { selectUser } from '../db/queries/selectUser';
import { upsertUser } from '../db/queries/upsertUser';
import { decideReconcile, needsCsvBody, type CsvObservation, type ReconcileDecision } from '../domain/reconcileDecision';
import { parseUserFile } from '../domain/userFile';
import { csvKey } from '../domain/userKey';
import { fetchSmallObject, findUserImage, type FetchedObject } from '../storage/userObjects';

export interface ReconcileDeps {
  pool: Pool;
  minio: Client;
  srcBucket: string;
  maxFileBytes: number;
}

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

function observeCsv(csv: FetchedObject, limit: number, now: Date): CsvObservation {
  const { key, etag } = csv;
  if (csv.body === null) return { state: 'bad', key, etag, reason: `file is ${csv.size} bytes; the limit is ${limit}` };
  const parsed = parseUserFile(csv.body, { maxBytes: limit, now });
  return parsed.ok ? { state: 'good', key, etag, user: parsed.user } : { state: 'bad', key, etag, reason: parsed.reason };
}

/**
 * Makes the user's row match the bucket (DESIGN invariants 2 and 3). The per-user lock is
 * taken before the bucket is read and held until commit, so whoever reconciles last has read
 * the newest objects. Running it again with an unchanged bucket changes nothing.
 */
export async function reconcileUser(deps: ReconcileDeps, userId: string, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  const now = opts.now ?? new Date();
  return withTransaction(deps.pool, async (tx) => {
    await lockUser(tx, userId);
    const [fetched, image, current] = await Promise.all([
      fetchSmallObject(deps.minio, deps.srcBucket, csvKey(userId), deps.maxFileBytes),
      findUserImage(deps.minio, deps.srcBucket, userId),
      selectUser(tx, userId),
    ]);

    let csv: CsvObservation = { state: 'absent' };
    if (fetched) {
      csv = needsCsvBody(current, fetched.etag, opts.reread ?? false)
        ? observeCsv(fetched, deps.maxFileBytes, now)
        : { state: 'same', key: fetched.key, etag: fetched.etag };
    }
    const csvRead = fetched?.body != null;
    const imgPath = image ? `${deps.srcBucket}/${image.key}` : null;
    const decision = decideReconcile(userId, current, { csv, imgPath });

    if (decision.row.action === 'upsert') await upsertUser(tx, decision.row.row);
    if (decision.row.action === 'delete') await deleteUser(tx, userId);
    if (decision.rejection.action === 'record') {
      await recordRejection(tx, { userId, key: decision.rejection.key, etag: decision.rejection.etag, reason: decision.rejection.reason });
    } else {
      await clearRejection(tx, csvKey(userId));
    }
    if (decision.row.action !== 'keep') await notifyUsersChanged(tx);
    return { ...decision, userId, csvRead };
  });
}
