import type pg from 'pg';

/** Anything a query can run on: a pool, or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;
