import { createLogger, loadSettings, rebuildSettings, SettingsError } from '@userpipe/shared';
import { startRebuildService } from './startRebuildService';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(rebuildSettings);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`rebuild cannot start: ${err.message}\n`);
    process.exit(2);
  }
  const logger = createLogger('rebuild', settings.LOG_LEVEL);
  const service = await startRebuildService(settings, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down; a rebuild in progress is finished first');
    service.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`rebuild failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
