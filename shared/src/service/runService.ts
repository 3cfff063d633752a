import type { z } from 'zod';
import { loadSettings, SettingsError } from '../config/loadSettings';
import { createLogger, type Logger } from '../logging/createLogger';

/** The settings a command needs, or exit 2 with a message naming each missing or malformed one. */
export function loadSettingsOrExit<S extends z.ZodObject>(name: string, schema: S): z.infer<S> {
  try {
    return loadSettings(schema);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`${name} cannot start: ${err.message}\n`);
    process.exit(2);
  }
}

/**
 * A service's entry point: validate the settings (exit 2 naming each bad one), start, and on
 * SIGTERM or SIGINT stop cleanly (exit 0) — what every service does the same way.
 */
export function runService<S extends z.ZodObject & { shape: { LOG_LEVEL: z.ZodType } }>(
  name: string,
  schema: S,
  start: (settings: z.infer<S>, logger: Logger) => Promise<{ stop(): Promise<void> }>,
): void {
  const settings = loadSettingsOrExit(name, schema);
  const logger = createLogger(name, String((settings as { LOG_LEVEL: string }).LOG_LEVEL));
  start(settings, logger).then(
    (service) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        service.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'unclean shutdown');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    },
    (err: unknown) => {
      process.stderr.write(`${name} failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
