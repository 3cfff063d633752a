import { createLogger, type WorkerSettings } from '@userpipe/shared';
import type { TestStack } from '@userpipe/shared/testing';
import { startWorker, type RunningWorker } from './startWorker';

/** Starts a real worker against a test stack; it is stopped when the stack is disposed. */
export async function startTestWorker(
  stack: TestStack,
  overrides: Partial<Record<keyof WorkerSettings, string>> = {},
): Promise<RunningWorker> {
  const settings = stack.settings(overrides);
  const worker = await startWorker(settings, createLogger('ingest-worker', settings.LOG_LEVEL));
  let stopped = false;
  const stop = worker.stop.bind(worker);
  worker.stop = async () => {
    if (stopped) return;
    stopped = true;
    await stop();
  };
  stack.onDispose(() => worker.stop());
  return worker;
}
