import { z } from 'zod';
import { isRabbitmqHostList } from '../messaging/amqpUrl';

// Each group is one concern's environment variables; a service composes the groups it needs.
// The types below are derived from these schemas and used everywhere else.

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z
  .enum(['true', 'false', '1', '0', 'on', 'off'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'on');
const durationList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'expected comma-separated milliseconds, such as 1000,5000,30000')
  .transform((s) => s.split(',').map(Number));
/** `name=http://host:port,name=...`: services and the base URLs of their health servers; `none` for none. */
const serviceUrls = z
  .string()
  .regex(/^(none|[a-z][a-z0-9-]*=https?:\/\/[^\s,=]+(,[a-z][a-z0-9-]*=https?:\/\/[^\s,=]+)*)$/, 'expected name=http://host:port pairs, comma-separated, such as ingest-worker=http://127.0.0.1:8081, or none')
  .transform((s) => (s === 'none' ? [] : s.split(',')).map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), url: pair.slice(pair.indexOf('=') + 1).replace(/\/+$/, '') })))
  .refine((list) => list.every(({ url }) => URL.canParse(url)), 'expected name=http://host:port pairs with valid URLs')
  .refine((list) => new Set(list.map((s) => s.name)).size === list.length, 'each service is named once');

export const postgresSettings = z.object({
  POSTGRES_HOST: z.string(),
  POSTGRES_PORT: port.default(5432),
  POSTGRES_DB: z.string(),
  POSTGRES_USER: z.string(),
  POSTGRES_PASSWORD: z.string(),
  POSTGRES_POOL_SIZE: positiveInt.default(20),
});

/** RabbitMQ with the administrator's login: operators' tools (make replay-dead-letters), never a service. */
export const rabbitmqSettings = z.object({
  /** One node, or a cluster's nodes as `host[:port],...` (each without a port on RABBITMQ_PORT): clients move to another when theirs dies. */
  RABBITMQ_HOST: z.string().refine(isRabbitmqHostList, 'expected a host or host:port, or several of them comma-separated, such as mq1:5672,mq2:5672,mq3:5672'),
  RABBITMQ_PORT: port.default(5672),
  RABBITMQ_USER: z.string(),
  RABBITMQ_PASSWORD: z.string(),
  /** Where RabbitMQ's MQTT plugin puts MinIO's events (its `mqtt.exchange`, a topic exchange), and their routing key (MinIO's MQTT topic). */
  EVENTS_EXCHANGE: z.string().default('amq.topic'),
  EVENTS_ROUTING_KEY: z.string().default('bucket-events'),
  INGEST_QUEUE: z.string().default('ingest'),
});

/** MinIO with the root account: people's tools (make demo, benchmarks); provisioning is infra/minio/provision. */
export const minioSettings = z.object({
  MINIO_HOST: z.string(),
  MINIO_PORT: port.default(9000),
  MINIO_USE_SSL: flag.default(false),
  /** The server's region. Given, the client never asks for it (minio-js forgets it after every 404 and asks again). */
  MINIO_REGION: z.string().default('us-east-1'),
  MINIO_ACCESS_KEY: z.string(),
  MINIO_SECRET_KEY: z.string(),
  MINIO_NOTIFY_TARGET_ID: z.string().regex(/^[A-Za-z0-9_]+$/).default('PRIMARY'),
  MINIO_NOTIFY_FAST_TARGET_ID: z.string().regex(/^[A-Za-z0-9_]*$/).default(''),
  SRC_BUCKET: z.string().default('src'),
  RES_BUCKET: z.string().default('res'),
  OUTPUT_KEY: z.string().default('output.csv'),
});

// A service reads where RabbitMQ and MinIO are, and its own logins below: a RabbitMQ user and a
// MinIO user allowed only what that service does (infra/rabbitmq/users.sh, infra/minio/policies).
// It never reads the administrator's or the root account's, which only provisioning uses.
const rabbitmqEndpointSettings = rabbitmqSettings.omit({ RABBITMQ_USER: true, RABBITMQ_PASSWORD: true });
const minioEndpointSettings = minioSettings.omit({
  MINIO_ACCESS_KEY: true,
  MINIO_SECRET_KEY: true,
  MINIO_NOTIFY_TARGET_ID: true,
  MINIO_NOTIFY_FAST_TARGET_ID: true,
});

export const logSettings = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const exportSettings = z.object({
  EXPORT_DEBOUNCE_MS: z.coerce.number().int().min(0).default(100),
  EXPORT_MAX_DELAY_MS: positiveInt.default(1000),
});

export const workerSettings = z.object({
  ...postgresSettings.shape,
  ...rabbitmqEndpointSettings.shape,
  ...minioEndpointSettings.shape,
  WORKER_RABBITMQ_USER: z.string(),
  WORKER_RABBITMQ_PASSWORD: z.string(),
  WORKER_MINIO_ACCESS_KEY: z.string(),
  WORKER_MINIO_SECRET_KEY: z.string(),
  ...logSettings.shape,
  ...exportSettings.shape,
  /** Four batches: two run (one reads the bucket while the other commits) and the next gathers. */
  WORKER_PREFETCH: positiveInt.default(1024),
  WORKER_BATCH_SIZE: positiveInt.default(256),
  /** Users of a batch whose objects are read at once (docs/scaling.md: 16 drained faster, on less CPU, than 64). */
  WORKER_READ_CONCURRENCY: positiveInt.default(16),
  /**
   * While a batch runs, how long the next gathers messages before it starts beside it (the batch
   * is at most WORKER_BATCH_SIZE; an idle worker starts at once). docs/scaling.md, "Round trips":
   * 1 rather than 5 took 2 ms off an upload's time in the worker at 200 uploads/s, but nothing
   * end to end, and raised the worker's peak memory in a backlog towards its 150 MB ceiling.
   */
  WORKER_BATCH_WAIT_MS: z.coerce.number().int().min(0).default(5),
  WORKER_MAX_ATTEMPTS: positiveInt.default(5),
  WORKER_RETRY_DELAYS_MS: durationList.default([1000, 5000, 30000]),
  /** How long an event whose read missed its change is asked again: the delays in turn, the last repeating. */
  WORKER_ASK_AGAIN_FOR_MS: z.coerce.number().int().min(0).default(180000),
  USER_FILE_MAX_BYTES: positiveInt.default(65536),
  WORKER_HTTP_HOST: z.string().default('0.0.0.0'),
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
});

export const queryApiSettings = z.object({
  // Where Postgres is; the API logs in as QUERY_POSTGRES_USER, never as the owner.
  ...postgresSettings.omit({ POSTGRES_USER: true, POSTGRES_PASSWORD: true }).shape,
  ...rabbitmqEndpointSettings.shape,
  ...logSettings.shape,
  QUERY_RABBITMQ_USER: z.string(),
  QUERY_RABBITMQ_PASSWORD: z.string(),
  QUERY_POSTGRES_USER: z.string(),
  QUERY_POSTGRES_PASSWORD: z.string(),
  /** A streaming replica the API reads users, pictures' rows and rejections from; empty: the primary. Jobs stay on the primary, so a job is found right after POST /data. */
  POSTGRES_READ_HOST: z.string().default(''),
  /** The replica's port; POSTGRES_PORT when not set. */
  POSTGRES_READ_PORT: port.optional(),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  API_MAX_PAGE_SIZE: positiveInt.default(10000),
  /** A reply that sends nothing for this long (a client that stopped reading, a stuck query) is cut off. */
  API_STALL_TIMEOUT_MS: positiveInt.default(30000),
  /** On SIGTERM, how long running replies may take before they are cut off. */
  API_SHUTDOWN_TIMEOUT_MS: positiveInt.default(10000),
  /** /healthz fails once the database pool has had no free connection for this long. */
  API_POOL_STARVED_MS: positiveInt.default(30000),
  REBUILD_QUEUE: z.string().default('rebuild-requests'),
  // Pictures (GET /users/{user_id}/image): read from src with the API's own read-only MinIO user.
  ...minioEndpointSettings.pick({ MINIO_HOST: true, MINIO_PORT: true, MINIO_USE_SSL: true, MINIO_REGION: true, SRC_BUCKET: true }).shape,
  QUERY_MINIO_ACCESS_KEY: z.string(),
  QUERY_MINIO_SECRET_KEY: z.string(),
  /** The worker's delays, which name its delay queues: GET /status reports their depth. */
  WORKER_RETRY_DELAYS_MS: durationList.default([1000, 5000, 30000]),
  /** Services whose /readyz GET /status reports, as name=base URL pairs. */
  API_STATUS_SERVICES: serviceUrls.default([
    { name: 'ingest-worker', url: 'http://127.0.0.1:8081' },
    { name: 'rebuild', url: 'http://127.0.0.1:8082' },
  ]),
});

export const rebuildSettings = z.object({
  ...postgresSettings.shape,
  ...rabbitmqEndpointSettings.shape,
  ...minioEndpointSettings.shape,
  ...logSettings.shape,
  REBUILD_RABBITMQ_USER: z.string(),
  REBUILD_RABBITMQ_PASSWORD: z.string(),
  REBUILD_MINIO_ACCESS_KEY: z.string(),
  REBUILD_MINIO_SECRET_KEY: z.string(),
  USER_FILE_MAX_BYTES: positiveInt.default(65536),
  REBUILD_QUEUE: z.string().default('rebuild-requests'),
  /** Standard five-field cron, evaluated in UTC. */
  REBUILD_CRON: z.string().default('0 3 * * *'),
  REBUILD_CONCURRENCY: positiveInt.default(16),
  REBUILD_PROGRESS_INTERVAL_MS: positiveInt.default(5000),
  REBUILD_HTTP_HOST: z.string().default('0.0.0.0'),
  REBUILD_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8082),
});

export type PostgresSettings = z.infer<typeof postgresSettings>;
export type RabbitmqSettings = z.infer<typeof rabbitmqSettings>;
export type MinioSettings = z.infer<typeof minioSettings>;
export type WorkerSettings = z.infer<typeof workerSettings>;
export type QueryApiSettings = z.infer<typeof queryApiSettings>;
export type RebuildSettings = z.infer<typeof rebuildSettings>;
