import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ServiceEndpoints } from './serviceEndpoints';

const ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

/** The services that have logins of their own. */
export const SERVICES = ['worker', 'query', 'rebuild'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServiceLogins {
  minio: { accessKey: string; secretKey: string };
  rabbitmq: { user: string; password: string };
}

/** What a test stack's provisioning is about: its own buckets and queues, and a user per service for them. */
export interface StackNames {
  srcBucket: string;
  resBucket: string;
  outputKey: string;
  ingestQueue: string;
  rebuildQueue: string;
  logins: Record<ServiceName, ServiceLogins>;
}

/** Fresh logins for one test stack; the names say which stack they belong to, for whoever cleans up. */
export function stackLogins(stackId: string): Record<ServiceName, ServiceLogins> {
  const login = (service: ServiceName): ServiceLogins => {
    const name = `test-${stackId}-${service}`;
    return {
      minio: { accessKey: name, secretKey: randomBytes(16).toString('hex') },
      rabbitmq: { user: name, password: randomBytes(16).toString('hex') },
    };
  };
  return { worker: login('worker'), query: login('query'), rebuild: login('rebuild') };
}

/** The settings the provisioning reads (the same names as .env), for this stack. */
function provisioningEnv(services: ServiceEndpoints, names: StackNames): Record<string, string> {
  const env: Record<string, string> = {
    MINIO_HOST: services.minio.host,
    MINIO_PORT: String(services.minio.port),
    MINIO_USE_SSL: 'false',
    MINIO_ACCESS_KEY: services.minio.accessKey,
    MINIO_SECRET_KEY: services.minio.secretKey,
    SRC_BUCKET: names.srcBucket,
    RES_BUCKET: names.resBucket,
    OUTPUT_KEY: names.outputKey,
    MINIO_NOTIFY_TARGET_ID: services.notify.targetId,
    MINIO_NOTIFY_FAST_TARGET_ID: services.notify.fastTargetId,
    RABBITMQ_USER: services.rabbitmq.user,
    EVENTS_EXCHANGE: services.notify.exchange,
    INGEST_QUEUE: names.ingestQueue,
    REBUILD_QUEUE: names.rebuildQueue,
  };
  for (const service of SERVICES) {
    const prefix = service.toUpperCase();
    const { minio, rabbitmq } = names.logins[service];
    Object.assign(env, {
      [`${prefix}_MINIO_ACCESS_KEY`]: minio.accessKey,
      [`${prefix}_MINIO_SECRET_KEY`]: minio.secretKey,
      [`${prefix}_RABBITMQ_USER`]: rabbitmq.user,
      [`${prefix}_RABBITMQ_PASSWORD`]: rabbitmq.password,
    });
  }
  return env;
}

async function inContainer(id: string, command: string[], env: Record<string, string>): Promise<void> {
  // Loaded only for the Docker test services.
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const result = await client.container.exec(client.container.getById(id), command, { env });
  if (result.exitCode !== 0) throw new Error(`${command.join(' ')} failed in container ${id}: ${result.output}`);
}

async function onHost(script: string, args: string[], env: Record<string, string>): Promise<void> {
  try {
    await run('bash', [path.join(ROOT, 'infra/local', script), ...args], { env: { ...process.env, ...env } });
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    throw new Error(`infra/local/${script} ${args.join(' ')} failed: ${stderr ?? (err as Error).message}`, { cause: err });
  }
}

/**
 * Does for a test stack what the stack's provisioning does for the real one, with the same code
 * and templates (infra/minio/provision with infra/minio/policies, infra/rabbitmq/users.sh): its
 * buckets, the source bucket's subscription, a MinIO user per service, and (where these
 * services allow it) a RabbitMQ user per service. Returns whether the RabbitMQ users exist.
 */
export async function provisionStack(services: ServiceEndpoints, names: StackNames): Promise<{ rabbitmqUsers: boolean }> {
  const env = provisioningEnv(services, names);
  const { minio, rabbitmq } = services.provisioning;
  await Promise.all([
    minio === 'host'
      ? onHost('minio-provision.sh', ['apply'], env)
      : inContainer(minio.container, ['userpipe-minio-provision', 'apply'], { ...env, MINIO_HOST: '127.0.0.1', MINIO_PORT: '9000' }),
    rabbitmq === 'host'
      ? onHost('rabbitmq.sh', ['users', ...SERVICES], env)
      : rabbitmq && inContainer(rabbitmq.container, ['bash', '-c', `source ${RABBITMQ_USERS_SCRIPT} && service_definitions ${SERVICES.join(' ')} | rabbitmqctl -q import_definitions`], env),
  ]);
  return { rabbitmqUsers: rabbitmq !== null };
}

/** Removes the stack's users (its buckets and queues are the stack's own business). */
export async function unprovisionStack(services: ServiceEndpoints, names: StackNames): Promise<void> {
  const env = provisioningEnv(services, names);
  const users = SERVICES.map((s) => names.logins[s].rabbitmq.user);
  const { minio, rabbitmq } = services.provisioning;
  await Promise.allSettled([
    minio === 'host' ? onHost('minio-provision.sh', ['remove'], env) : inContainer(minio.container, ['userpipe-minio-provision', 'remove'], { ...env, MINIO_HOST: '127.0.0.1', MINIO_PORT: '9000' }),
    rabbitmq === 'host'
      ? onHost('rabbitmq.sh', ['remove-users', ...users], env)
      : rabbitmq && Promise.all(users.map((u) => inContainer(rabbitmq.container, ['rabbitmqctl', '-q', 'delete_user', u], {}))),
  ]);
}

/** Where the Docker test services' RabbitMQ container holds infra/rabbitmq/users.sh (as compose mounts it). */
export const RABBITMQ_USERS_SCRIPT = '/etc/rabbitmq/userpipe/users.sh';
