/**
 * Retries an assertion until it passes or the time is up, then throws its last failure.
 * The pipeline is asynchronous by design; this is how a test waits for it without sleeping
 * a guessed amount.
 */
export async function eventually<T>(assertion: () => Promise<T> | T, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
    }
  }
}
