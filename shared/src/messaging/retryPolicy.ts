export const ATTEMPT_HEADER = 'x-attempt';
export const ERROR_HEADER = 'x-last-error';
/** How many times a message that succeeded was asked again (not an attempt: nothing failed). */
export const ASKED_AGAIN_HEADER = 'x-asked-again';

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

/**
 * Where a message whose handler asked for it again waits, the `asked`-th time it was asked
 * again so far: the delay queues in turn, each once; null once they are used up (the message is
 * then done with: asking again never dead-letters).
 */
export function nextAsk(t: RetryQueues, asked: number): { queue: string; delayMs: number } | null {
  const delay = t.retryQueues[asked];
  return delay ? { queue: delay.name, delayMs: delay.delayMs } : null;
}
