import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { endpointsFromSettings, type ServiceEndpoints } from './serviceEndpoints';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Starts (installing first if needed) PostgreSQL, RabbitMQ and MinIO on loopback through the
 * project's own infra/local scripts, the same ones `make up` uses, and reads their settings.
 */
export function startLocalServices(): ServiceEndpoints {
  const result = spawnSync('bash', [path.join(ROOT, 'infra/local/services.sh'), 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`infra/local/services.sh up failed with exit code ${result.status}`);
  return endpointsFromSettings(localSettings());
}

/** The project's settings as infra/local reads them: .env, overlaid by the environment. */
export function localSettings(): Record<string, string | undefined> {
  return { ...parse(readFileSync(path.join(ROOT, '.env'))), ...process.env };
}
