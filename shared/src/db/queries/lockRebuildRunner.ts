import { advisoryKey } from '../advisoryKey';
import type { Queryable } from './queryable';

/** Blocks until this session is the only rebuild runner anywhere; the lock goes with the session. */
export async function lockRebuildRunner(session: Queryable): Promise<void> {
  await session.query('SELECT pg_advisory_lock($1)', [advisoryKey('rebuild')]);
}
