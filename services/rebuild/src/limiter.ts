/**
 * At most `concurrency` tasks at once. `schedule` resolves when the task has started, so a
 * producer that awaits it is held back (its source is read no faster than work is done);
 * `idle` resolves when every task started so far has finished.
 */
export function createLimiter(concurrency: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const tasks = new Set<Promise<void>>();
  return {
    async schedule(task: () => Promise<void>): Promise<void> {
      if (running >= concurrency) await new Promise<void>((r) => waiting.push(r));
      running++;
      const done = task().finally(() => {
        running--;
        tasks.delete(done);
        waiting.shift()?.();
      });
      tasks.add(done);
    },
    async idle(): Promise<void> {
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
  };
}
