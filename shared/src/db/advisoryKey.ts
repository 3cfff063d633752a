import { createHash } from 'node:crypto';

/**
 * A 64-bit advisory-lock key for a name. Computed here rather than with hashtext() in SQL so
 * that every lock our code takes is visible and spelled in one place. Two names sharing a key
 * would only serialise more than needed, never less.
 */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

export const userLockKey = (userId: string) => advisoryKey(`user:${userId}`);
