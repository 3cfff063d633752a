import type { Queryable } from './queryable';

export const USERS_CHANGED_CHANNEL = 'users_changed';

/** Sent inside the writing transaction, so listeners hear of the change only once it committed. */
export async function notifyUsersChanged(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_notify('${USERS_CHANGED_CHANNEL}', '')`);
}
