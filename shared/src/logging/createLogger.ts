import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs, one line per event, tagged with the service that wrote them. */
export function createLogger(service: string, level: string = 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
