import { createLogger, createMinioClient, requestRebuild, type MinioClient, type RebuildSettings } from '@userpipe/shared';
import type { TestStack } from '@userpipe/shared/testing';
import { runActiveJob, type FinishedJob } from './jobRunner';

/** Asks for a rebuild on a test stack and runs it here, as `make rebuild` does. */
export async function rebuildNow(
  stack: TestStack,
  opts: { full?: boolean; settings?: Partial<Record<keyof RebuildSettings, string>>; minio?: (client: MinioClient) => MinioClient } = {},
): Promise<FinishedJob> {
  await stack.migrate();
  const settings = stack.rebuildSettings(opts.settings);
  await requestRebuild(stack.db, 'test', opts.full ? 'full' : 'default');
  const finished = await runActiveJob({ pool: stack.db, minio: (opts.minio ?? ((c) => c))(createMinioClient(settings)), settings, logger: createLogger('rebuild', settings.LOG_LEVEL) });
  if (!finished) throw new Error('no rebuild ran');
  return finished;
}
