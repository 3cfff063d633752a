import type { Pool, PoolClient } from '../db/createPool';

/**
 * A pool that records the text of every statement sent through it, on itself or on the clients
 * it hands out (a transaction's): how many round trips a piece of code makes, and which.
 */
export function countingPool(pool: Pool): { pool: Pool; statements: string[] } {
  const statements: string[] = [];
  const record = (args: unknown[]) => {
    const first = args[0] as string | { text: string };
    statements.push(typeof first === 'string' ? first : first.text);
  };
  const countingClient = (client: PoolClient): PoolClient =>
    new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'query') return (...args: unknown[]) => (record(args), (target.query as (...a: unknown[]) => unknown)(...args));
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const counted = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') return (...args: unknown[]) => (record(args), (target.query as (...a: unknown[]) => unknown)(...args));
      if (prop === 'connect') return async () => countingClient(await target.connect());
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { pool: counted, statements };
}
