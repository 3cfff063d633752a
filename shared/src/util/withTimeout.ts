/** The rejection of `withTimeout` when the work did not settle in time. */
export class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
}

/** `work`, or a TimeoutError after `ms`: a peer that stopped answering must not hold the caller (the work itself goes on). */
export async function withTimeout<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
