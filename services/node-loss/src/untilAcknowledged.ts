/**
 * Makes one storm call until MinIO acknowledges it. A call that failed (its node was killed, the
 * load balancer had no backend, the cluster had no quorum for a moment) may or may not have been
 * applied; repeating the same PUT or DELETE is harmless either way, and once one is acknowledged
 * the key's state is known again. Each attempt has a time limit, because a request to a node
 * that vanished without a reset could otherwise hang the client loop for ever; the storm's is
 * longer than the load balancer's own (STORM_RETRY).
 */

import { withTimeout } from '@userpipe/shared';

export interface AttemptFailure {
  /** A short name for the error (its code, or its message cut short). */
  reason: string;
  at: number;
}

export interface RetryPolicy {
  /** Time limit of one attempt. */
  attemptTimeoutMs: number;
  /** Give up (the storm fails) after failing for this long. */
  giveUpAfterMs: number;
  /** Backoff: the n-th retry waits min(baseMs * 2^(n-1), maxMs). */
  baseMs: number;
  maxMs: number;
}

/**
 * An attempt is given up on only after its exchange had every chance to end on its own (the
 * load balancer answers within 5 minutes, the storm's sockets are cut after 320 s of silence:
 * stormClient.ts), so no attempt the storm stopped waiting for can be applied after the key's
 * next call. Retries follow definite failures: an error status, a reset, a cut session.
 */
export const STORM_RETRY: RetryPolicy = { attemptTimeoutMs: 330_000, giveUpAfterMs: 600_000, baseMs: 100, maxMs: 2_000 };

export async function untilAcknowledged<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  onFailure: (f: AttemptFailure) => void = () => undefined,
  now: () => number = Date.now,
): Promise<T> {
  const start = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTimeout(policy.attemptTimeoutMs, call);
    } catch (err) {
      onFailure({ reason: reasonOf(err), at: now() });
      if (now() - start >= policy.giveUpAfterMs) throw new Error(`not acknowledged after ${attempt} attempts in ${Math.round((now() - start) / 1000)} s: ${reasonOf(err)}`);
      await sleep(Math.min(policy.baseMs * 2 ** (attempt - 1), policy.maxMs));
    }
  }
}

/**
 * The error's code when it has one (ECONNRESET, SlowDown, …); the status of a 5xx that minio-js
 * reports only in its message ("Request failed after 0 retries: Error: Retryable HTTP status:
 * 503"); else the message cut short.
 */
export function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string' && e.code !== '') return e.code;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const status = /Retryable HTTP status: (\d{3})/.exec(message)?.[1];
  if (status) return `HTTP ${status}`;
  return message.length > 60 ? `${message.slice(0, 57)}...` : message;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
