import { z } from 'zod';
import { loadSettings, minioSettings, postgresSettings, queryApiSettings, rabbitmqSettings, workerSettings } from '@userpipe/shared';

/**
 * The stack's settings the test reads (infra/local/run.sh exports them; with TOPOLOGY=cluster
 * they point at the cluster): MinIO's root account through the load balancer, Postgres' owner on
 * the primary, RabbitMQ's administrator on every node (RABBITMQ_HOST: one host, or the cluster's
 * `host:port` list), and where our processes listen: each as the services declare it.
 */
export const nodeLossSettings = z.object({
  ...minioSettings.shape,
  ...postgresSettings.shape,
  ...rabbitmqSettings.shape,
  ...workerSettings.pick({ WORKER_RETRY_DELAYS_MS: true, WORKER_HTTP_HOST: true, WORKER_HTTP_PORT: true }).shape,
  ...queryApiSettings.pick({ API_HOST: true, API_PORT: true }).shape,
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
