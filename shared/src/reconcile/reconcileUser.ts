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
import { isNotFound, listUserObjects, ObjectTooLargeError, readObject, type StoredObject } from '../storage/userObjects';

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
  /** Whether the csv body was downloaded. */
  csvRead: boolean;
}

async function observeCsv(
  deps: ReconcileDeps,
  csv: StoredObject,
  now: Date,
): Promise<CsvObservation> {
  const { key, etag } = csv;
  const limit = deps.maxFileBytes;
  if (csv.size > limit) return { state: 'bad', key, etag, reason: `file is ${csv.size} bytes; the limit is ${limit}` };
  let body: Buffer;
  try {
    body = await readObject(deps.minio, deps.srcBucket, key, limit);
  } catch (err) {
    if (err instanceof ObjectTooLargeError) return { state: 'bad', key, etag, reason: `file is over the limit of ${limit} bytes` };
    // Deleted after the listing: its remove event will bring us back; until then it is gone.
    if (isNotFound(err)) return { state: 'absent' };
    throw err;
  }
  const parsed = parseUserFile(body, { maxBytes: limit, now });
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
    const [objects, current] = await Promise.all([listUserObjects(deps.minio, deps.srcBucket, userId), selectUser(tx, userId)]);

    let csv: CsvObservation = { state: 'absent' };
    let csvRead = false;
    if (objects.csv) {
      if (needsCsvBody(current, objects.csv.etag, opts.reread ?? false)) {
        csv = await observeCsv(deps, objects.csv, now);
        csvRead = true;
      } else {
        csv = { state: 'same', key: objects.csv.key, etag: objects.csv.etag };
      }
    }
    const imgPath = objects.image ? `${deps.srcBucket}/${objects.image.key}` : null;
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
