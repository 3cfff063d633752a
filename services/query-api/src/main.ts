import { createLogger, loadSettings, queryApiSettings, SettingsError } from '@userpipe/shared';
import { startQueryApi } from './startQueryApi';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(queryApiSettings);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`query-api cannot start: ${err.message}\n`);
    process.exit(2);
  }
  const logger = createLogger('query-api', settings.LOG_LEVEL);
  const api = await startQueryApi(settings, logger);
  logger.info({ url: api.url }, 'query API listening');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    api.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`query-api failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
