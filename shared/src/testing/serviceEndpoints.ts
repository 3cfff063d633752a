/** Where the integration tests find MinIO, RabbitMQ and Postgres, however they were found. */
export interface ServiceEndpoints {
  /** `query` is the read-only login of the query API (a member of userpipe_reader), when there is one. */
  postgres: { host: string; port: number; user: string; password: string; database: string; query?: { user: string; password: string } };
  rabbitmq: { host: string; port: number; user: string; password: string };
  minio: { host: string; port: number; accessKey: string; secretKey: string };
  /** How MinIO's MQTT targets are configured: their ids, and where RabbitMQ puts what they publish. */
  notify: { targetId: string; fastTargetId: string; exchange: string; routingKey: string };
  /** Which of the three ways found them. */
  source: 'environment' | 'docker' | 'local';
  /**
   * Where a test stack's provisioning runs (shared/src/testing/stackProvisioning.ts): the project's
   * scripts on this machine, or the same tools inside the Docker test services' containers.
   * `rabbitmq` is null when nothing here may create RabbitMQ users (TEST_AMQP_URL): the test
   * stacks' services then log in to RabbitMQ as the user given there.
   */
  provisioning: { minio: 'host' | { container: string }; rabbitmq: 'host' | { container: string } | null };
}

const ENV_KEY = 'USERPIPE_TEST_SERVICES';

/** The global setup hands the endpoints to the test workers through the environment. */
export function publishEndpoints(endpoints: ServiceEndpoints): void {
  process.env[ENV_KEY] = JSON.stringify(endpoints);
}

export function readEndpoints(): ServiceEndpoints {
  const raw = process.env[ENV_KEY];
  if (!raw) throw new Error(`${ENV_KEY} is not set: integration tests run through jest's global setup (npm run test:integration)`);
  return JSON.parse(raw) as ServiceEndpoints;
}

const DEFAULT_NOTIFY = { targetId: 'PRIMARY', fastTargetId: '', exchange: 'amq.topic', routingKey: 'bucket-events' };

/**
 * Endpoints from TEST_POSTGRES_URL, TEST_AMQP_URL and TEST_MINIO_URL, when all three are set.
 * The MinIO given must publish to that RabbitMQ through an MQTT target (TEST_MINIO_NOTIFY_TARGET_ID,
 * TEST_EVENTS_EXCHANGE, TEST_EVENTS_ROUTING_KEY: the MQTT plugin's exchange and the target's topic;
 * defaults PRIMARY, amq.topic, bucket-events),
 * and may have a second, queue-less one (TEST_MINIO_NOTIFY_FAST_TARGET_ID). TEST_QUERY_POSTGRES_URL, optional,
 * is the query API's read-only login (a member of userpipe_reader); without it the API uses the main one.
 * TEST_MINIO_URL must hold the root account: each test stack gets MinIO users of its own.
 */
export function endpointsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ServiceEndpoints | null {
  const { TEST_POSTGRES_URL, TEST_AMQP_URL, TEST_MINIO_URL } = env;
  if (!TEST_POSTGRES_URL && !TEST_AMQP_URL && !TEST_MINIO_URL) return null;
  if (!TEST_POSTGRES_URL || !TEST_AMQP_URL || !TEST_MINIO_URL) {
    throw new Error('set all of TEST_POSTGRES_URL, TEST_AMQP_URL and TEST_MINIO_URL, or none of them');
  }
  const pg = new URL(TEST_POSTGRES_URL);
  const amqp = new URL(TEST_AMQP_URL);
  const minio = new URL(TEST_MINIO_URL);
  const d = decodeURIComponent;
  const reader = env.TEST_QUERY_POSTGRES_URL ? new URL(env.TEST_QUERY_POSTGRES_URL) : undefined;
  return {
    postgres: {
      host: pg.hostname,
      port: Number(pg.port || 5432),
      user: d(pg.username),
      password: d(pg.password),
      database: pg.pathname.slice(1) || 'postgres',
      query: reader && { user: d(reader.username), password: d(reader.password) },
    },
    rabbitmq: { host: amqp.hostname, port: Number(amqp.port || 5672), user: d(amqp.username), password: d(amqp.password) },
    minio: { host: minio.hostname, port: Number(minio.port || 9000), accessKey: d(minio.username), secretKey: d(minio.password) },
    notify: {
      targetId: env.TEST_MINIO_NOTIFY_TARGET_ID ?? DEFAULT_NOTIFY.targetId,
      fastTargetId: env.TEST_MINIO_NOTIFY_FAST_TARGET_ID ?? DEFAULT_NOTIFY.fastTargetId,
      exchange: env.TEST_EVENTS_EXCHANGE ?? DEFAULT_NOTIFY.exchange,
      routingKey: env.TEST_EVENTS_ROUTING_KEY ?? DEFAULT_NOTIFY.routingKey,
    },
    source: 'environment',
    // MinIO's admin API is plain HTTP with the root account (TEST_MINIO_URL); RabbitMQ users need rabbitmqctl on its node.
    provisioning: { minio: 'host', rabbitmq: null },
  };
}

/**
 * The MQTT targets infra/local's MinIO has for test stacks' buckets (infra/local/minio.sh): the
 * stack's own ids with `TEST` added, publishing under `<routing key>-test`, so that test uploads
 * never reach the queue of the stack `make up` runs, which collects them while no worker runs.
 */
export function testStackNotify(targetId: string, fastTargetId: string, exchange: string, routingKey: string): ServiceEndpoints['notify'] {
  return { targetId: `${targetId}TEST`, fastTargetId: fastTargetId && `${fastTargetId}TEST`, exchange, routingKey: `${routingKey}-test` };
}

/** Endpoints from the project's settings (.env overlaid by the environment), as infra/local starts them. */
export function endpointsFromSettings(s: Record<string, string | undefined>): ServiceEndpoints {
  const need = (k: string) => {
    const v = s[k];
    if (!v) throw new Error(`${k} is missing from .env`);
    return v;
  };
  return {
    postgres: {
      host: need('POSTGRES_HOST'),
      port: Number(need('POSTGRES_PORT')),
      user: need('POSTGRES_USER'),
      password: need('POSTGRES_PASSWORD'),
      database: need('POSTGRES_DB'),
      query: { user: need('QUERY_POSTGRES_USER'), password: need('QUERY_POSTGRES_PASSWORD') },
    },
    rabbitmq: { host: need('RABBITMQ_HOST'), port: Number(need('RABBITMQ_PORT')), user: need('RABBITMQ_USER'), password: need('RABBITMQ_PASSWORD') },
    minio: { host: need('MINIO_HOST'), port: Number(need('MINIO_PORT')), accessKey: need('MINIO_ACCESS_KEY'), secretKey: need('MINIO_SECRET_KEY') },
    notify: testStackNotify(need('MINIO_NOTIFY_TARGET_ID'), s.MINIO_NOTIFY_FAST_TARGET_ID ?? '', need('EVENTS_EXCHANGE'), need('EVENTS_ROUTING_KEY')),
    source: 'local',
    provisioning: { minio: 'host', rabbitmq: 'host' },
  };
}
