import type { QueryApiSettings, RabbitmqSettings, RebuildSettings, WorkerSettings } from '../config/settings';

/**
 * The one RabbitMQ login a set of settings carries: a service's own user, allowed only what that
 * service does (infra/rabbitmq/users.sh), or the administrator's, in operators' tools.
 */
export type RabbitmqLogin =
  | Pick<WorkerSettings, 'WORKER_RABBITMQ_USER' | 'WORKER_RABBITMQ_PASSWORD'>
  | Pick<QueryApiSettings, 'QUERY_RABBITMQ_USER' | 'QUERY_RABBITMQ_PASSWORD'>
  | Pick<RebuildSettings, 'REBUILD_RABBITMQ_USER' | 'REBUILD_RABBITMQ_PASSWORD'>
  | Pick<RabbitmqSettings, 'RABBITMQ_USER' | 'RABBITMQ_PASSWORD'>;

export function rabbitmqLogin(s: RabbitmqLogin): { user: string; password: string } {
  if ('WORKER_RABBITMQ_USER' in s) return { user: s.WORKER_RABBITMQ_USER, password: s.WORKER_RABBITMQ_PASSWORD };
  if ('QUERY_RABBITMQ_USER' in s) return { user: s.QUERY_RABBITMQ_USER, password: s.QUERY_RABBITMQ_PASSWORD };
  if ('REBUILD_RABBITMQ_USER' in s) return { user: s.REBUILD_RABBITMQ_USER, password: s.REBUILD_RABBITMQ_PASSWORD };
  return { user: s.RABBITMQ_USER, password: s.RABBITMQ_PASSWORD };
}

export function amqpUrl(s: Pick<RabbitmqSettings, 'RABBITMQ_HOST' | 'RABBITMQ_PORT'> & RabbitmqLogin): string {
  const login = rabbitmqLogin(s);
  return `amqp://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@${s.RABBITMQ_HOST}:${s.RABBITMQ_PORT}`;
}
