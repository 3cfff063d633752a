import { z } from 'zod';
import { loadSettings, minioSettings, postgresSettings } from '@userpipe/shared';

/**
 * The stack's settings the test reads (infra/local/run.sh exports them; with TOPOLOGY=cluster
 * they point at the cluster): MinIO's root account through the load balancer, Postgres' owner on
 * the primary, RabbitMQ's administrator on every node, and where our processes listen.
 * RABBITMQ_HOST is read as a plain string here and split by rabbitNodes.ts: one host, or the
 * cluster's `host:port` list.
 */
export const nodeLossSettings = z.object({
  ...minioSettings.shape,
  ...postgresSettings.shape,
  RABBITMQ_HOST: z.string(),
  RABBITMQ_PORT: z.coerce.number().int().min(1).max(65535).default(5672),
  RABBITMQ_USER: z.string(),
  RABBITMQ_PASSWORD: z.string(),
  INGEST_QUEUE: z.string().default('ingest'),
  WORKER_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .default('1000,5000,30000')
    .transform((v) => v.split(',').map(Number)),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  WORKER_HTTP_HOST: z.string().default('127.0.0.1'),
  WORKER_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
});

export type NodeLossSettings = z.infer<typeof nodeLossSettings>;

export function readSettings(env: NodeJS.ProcessEnv = process.env): NodeLossSettings {
  return loadSettings(nodeLossSettings, env);
}

/** A base URL for a server bound to `host`: one bound to every interface is reached on loopback. */
export function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
