import type { Pool, PoolClient } from '../db/createPool';

/** What a counting pool has seen so far. */
export interface StatementCount {
  /** The text of every statement sent, in order. */
  statements: string[];
  /**
   * Round trips: statements sent while no other was awaiting its answer on the same connection.
   * On a pipelined pool a group sent together counts once; elsewhere every statement does.
   */
  roundTrips: number;
}

/**
 * A pool that records every statement sent through it, on itself or on the clients it hands out
 * (a transaction's): how many statements and round trips a piece of code makes, and which.
 */
export function countingPool(pool: Pool): { pool: Pool; count: StatementCount } {
  const count: StatementCount = { statements: [], roundTrips: 0 };
  const record = (args: unknown[]) => {
    const first = args[0] as string | { text: string };
    count.statements.push(typeof first === 'string' ? first : first.text);
  };
  const countingClient = (client: PoolClient): PoolClient => {
    let awaiting = 0;
    const settled = () => {
      awaiting--;
    };
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'query')
          return (...args: unknown[]) => {
            record(args);
            if (awaiting++ === 0) count.roundTrips++;
            const sent = (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
            sent.then(settled, settled);
            return sent;
          };
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const counted = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') return (...args: unknown[]) => (record(args), count.roundTrips++, (target.query as (...a: unknown[]) => unknown)(...args));
      if (prop === 'connect') return async () => countingClient(await target.connect());
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { pool: counted, count };
}
