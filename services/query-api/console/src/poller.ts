/**
 * Runs `tick` now and again after each run ends, waiting what it returns (ms), until stopped:
 * never two at once however slow the API is, and nothing left running when a view is left.
 */
export function poll(tick: (signal: AbortSignal) => Promise<number>): () => void {
  const aborter = new AbortController();
  let timer: number | undefined;
  const run = async () => {
    let wait = 5000;
    try {
      wait = await tick(aborter.signal);
    } catch {
      // the tick shows its own errors; keep polling
    }
    if (!aborter.signal.aborted) timer = window.setTimeout(() => void run(), wait);
  };
  void run();
  return () => {
    aborter.abort();
    window.clearTimeout(timer);
  };
}
