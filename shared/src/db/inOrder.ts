import type pg from 'pg';

/** A statement to send: a call that sends it before it first awaits anything, and its result. */
export type Statement<T = unknown> = () => Promise<T>;

/**
 * Sends statements in the order given on one connection and waits for them all. On a pipelined
 * connection (createPool's `pipeline`) each goes out at once behind the one before, so the group
 * costs one round trip; elsewhere each waits for the one before. Either way Postgres runs them
 * one after another, so each sees what the ones before it did (a lock held, a row written), and
 * in a transaction a failed one fails those behind it (docs/scaling.md, "Round trips").
 */
export async function inOrder<T extends unknown[]>(client: pg.Client, ...statements: { [K in keyof T]: Statement<T[K]> }): Promise<T> {
  if (client.pipeline) return (await Promise.all(statements.map((send) => send()))) as T;
  const results: unknown[] = [];
  for (const send of statements) results.push(await send());
  return results as T;
}
