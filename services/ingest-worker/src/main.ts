import { createLogger, loadSettings, SettingsError, workerSettings } from '@userpipe/shared';
import { startWorker } from './startWorker';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(workerSettings);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`ingest-worker cannot start: ${err.message}\n`);
    process.exit(2);
  }
  const logger = createLogger('ingest-worker', settings.LOG_LEVEL);
  const worker = await startWorker(settings, logger);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    worker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`ingest-worker failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
