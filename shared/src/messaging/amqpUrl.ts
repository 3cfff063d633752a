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

/** One `host` or `host:port` (an IPv6 address in brackets), the port optional. */
const NODE = /^(\[[0-9A-Fa-f:.]+\]|[^\s,:[\]/@]+)(?::(\d{1,5}))?$/;

/** Whether RABBITMQ_HOST is one node or a comma-separated list of them. */
export function isRabbitmqHostList(value: string): boolean {
  return value.split(',').every((node) => {
    const port = NODE.exec(node.trim())?.[2];
    return NODE.test(node.trim()) && (port === undefined || (Number(port) >= 1 && Number(port) <= 65535));
  });
}

/**
 * One URL per RabbitMQ node: RABBITMQ_HOST names one node, or the nodes of a cluster as
 * `host[:port],...`, each without a port on RABBITMQ_PORT. A client tries them in turn
 * (RabbitmqNodes), so it moves to another node when its own dies.
 */
export function amqpUrls(s: Pick<RabbitmqSettings, 'RABBITMQ_HOST' | 'RABBITMQ_PORT'> & RabbitmqLogin): string[] {
  const login = rabbitmqLogin(s);
  const auth = `${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}`;
  return s.RABBITMQ_HOST.split(',').map((node) => {
    const [, host, port] = NODE.exec(node.trim()) ?? [];
    if (!host) throw new Error(`RABBITMQ_HOST: "${node}" is not a host or host:port`);
    return `amqp://${auth}@${host}:${port ?? s.RABBITMQ_PORT}`;
  });
}
