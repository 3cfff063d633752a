import type { Queryable } from './queryable';
import { userFilterSql, type UserFilter } from './userFilter';

/** A count that stops at a cap: `capped` says there are more than `count`. */
export interface CappedCount {
  count: number;
  capped: boolean;
}

/**
 * How many users match, counted up to `cap` at most: a filter matching a million users costs a
 * scan of `cap` index entries, not of the million (the console shows "more than N").
 */
export async function countUsersCapped(db: Queryable, filter: UserFilter, cap: number): Promise<CappedCount> {
  const where = userFilterSql(filter);
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM users WHERE ${where.text} LIMIT ${Math.trunc(cap) + 1}) s`, where.values);
  const n = rows[0]!.n;
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}

/** A table's size: exact up to `cap` rows; beyond, the planner's estimate (kept by autovacuum), so a large table is never scanned whole. */
export interface TableSize {
  count: number;
  exact: boolean;
}

export async function tableSize(db: Queryable, table: 'users' | 'rejected_files', cap: number): Promise<TableSize> {
  const { rows } = await db.query<{ n: number; estimate: number }>(
    `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM ${table} LIMIT ${Math.trunc(cap) + 1}) s) AS n,
            (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = '${table}'::regclass) AS estimate`,
  );
  const { n, estimate } = rows[0]!;
  return n > cap ? { count: Math.max(estimate, cap + 1), exact: false } : { count: n, exact: true };
}
