import { createPool, type Logger, type Pool, type RebuildSettings } from '@userpipe/shared';

/**
 * The rebuild's connections, sized from REBUILD_CONCURRENCY with room for what runs beside the
 * batches (the job's progress, the orphan sweep, the export). The CLI and the service both take
 * their pool from here, so the two cannot size it differently.
 */
export function createRebuildPool(settings: RebuildSettings, logger: Logger): Pool {
  return createPool({ ...settings, POSTGRES_POOL_SIZE: settings.REBUILD_CONCURRENCY + 4 }, logger);
}
