export const ATTEMPT_HEADER = 'x-attempt';
export const ERROR_HEADER = 'x-last-error';
/** How many times a message that succeeded was asked again (not an attempt: nothing failed). */
export const ASKED_AGAIN_HEADER = 'x-asked-again';
/** Set on a message asked again to be looked at in full, whatever its handler finds done ('recheck'). */
export const RECHECK_HEADER = 'x-recheck';

/** Where a consumer's failed messages wait before their next attempt, and where they stop. */
export interface RetryQueues {
  /** One delay queue per distinct wait; each hands its messages back to the consumed queue when they expire. */
  retryQueues: { delayMs: number; name: string }[];
  deadLetterQueue: string;
}

export type NextStep = { action: 'retry'; queue: string; delayMs: number } | { action: 'dead-letter'; queue: string };

/**
 * Where a message goes after its `attempt`-th try failed: the next delay queue (the last
 * delay repeats), or the dead-letter queue once `maxAttempts` tries have failed or the
 * failure is one no retry can fix.
 */
export function nextStep(t: RetryQueues, attempt: number, maxAttempts: number, retryable: boolean): NextStep {
  if (!retryable || attempt >= maxAttempts || t.retryQueues.length === 0) {
    return { action: 'dead-letter', queue: t.deadLetterQueue };
  }
  const retry = t.retryQueues[Math.min(attempt, t.retryQueues.length) - 1]!;
  return { action: 'retry', queue: retry.name, delayMs: retry.delayMs };
}

export function attemptOf(headers: Record<string, unknown> | undefined): number {
  const value = Number(headers?.[ATTEMPT_HEADER] ?? 1);
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

export function askedAgainOf(headers: Record<string, unknown> | undefined): number {
  const value = Number(headers?.[ASKED_AGAIN_HEADER] ?? 0);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

export function recheckOf(headers: Record<string, unknown> | undefined): boolean {
  return headers?.[RECHECK_HEADER] === true;
}

/**
 * Where a message whose handler asked for it again waits, when it was asked again `asked` times
 * so far: the delay queues in turn, the last one repeating, for as long as the waits add up to
 * at most `forMs`; null after that (the message is then done with: asking again never
 * dead-letters). A time, not a count, because what it waits out is a time: how long a MinIO
 * node that rejoined its cluster may answer with a key's older state (docs/design.md, "Asked again").
 */
export function nextAsk(t: RetryQueues, asked: number, forMs: number): { queue: string; delayMs: number } | null {
  const queues = t.retryQueues;
  if (queues.length === 0) return null;
  const last = queues.at(-1)!;
  // Summed, not looped: the count comes from a message header.
  const inTurn = queues.slice(0, asked).reduce((sum, q) => sum + q.delayMs, 0);
  const waited = inTurn + Math.max(0, asked - queues.length) * last.delayMs;
  const next = queues[asked] ?? last;
  return waited + next.delayMs <= forMs ? { queue: next.name, delayMs: next.delayMs } : null;
}
