import { z } from 'zod';

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

export const postgresSettings = z.object({
  POSTGRES_HOST: z.string(),
  POSTGRES_PORT: port.default(5432),
  POSTGRES_DB: z.string(),
  POSTGRES_USER: z.string(),
  POSTGRES_PASSWORD: z.string(),
  POSTGRES_POOL_SIZE: positiveInt.default(20),
});

export const rabbitmqSettings = z.object({
  RABBITMQ_HOST: z.string(),
  RABBITMQ_PORT: port.default(5672),
  RABBITMQ_USER: z.string(),
  RABBITMQ_PASSWORD: z.string(),
  EVENTS_EXCHANGE: z.string().default('minio-events'),
  EVENTS_ROUTING_KEY: z.string().default('bucket-events'),
  INGEST_QUEUE: z.string().default('ingest'),
});

export const minioSettings = z.object({
  MINIO_HOST: z.string(),
  MINIO_PORT: port.default(9000),
  MINIO_USE_SSL: flag.default(false),
  MINIO_ACCESS_KEY: z.string(),
  MINIO_SECRET_KEY: z.string(),
  MINIO_NOTIFY_TARGET_ID: z.string().regex(/^[A-Za-z0-9_]+$/).default('PRIMARY'),
  MINIO_NOTIFY_FAST_TARGET_ID: z.string().regex(/^[A-Za-z0-9_]*$/).default(''),
  SRC_BUCKET: z.string().default('src'),
  RES_BUCKET: z.string().default('res'),
  OUTPUT_KEY: z.string().default('output.csv'),
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
  ...rabbitmqSettings.shape,
  ...minioSettings.shape,
  ...logSettings.shape,
  ...exportSettings.shape,
  WORKER_PREFETCH: positiveInt.default(32),
  WORKER_MAX_ATTEMPTS: positiveInt.default(5),
  WORKER_RETRY_DELAYS_MS: durationList.default([1000, 5000, 30000]),
  USER_FILE_MAX_BYTES: positiveInt.default(65536),
  WORKER_HTTP_HOST: z.string().default('0.0.0.0'),
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
});

export const queryApiSettings = z.object({
  ...postgresSettings.shape,
  ...rabbitmqSettings.shape,
  ...logSettings.shape,
  QUERY_POSTGRES_USER: z.string(),
  QUERY_POSTGRES_PASSWORD: z.string(),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  API_MAX_PAGE_SIZE: positiveInt.default(10000),
  REBUILD_QUEUE: z.string().default('rebuild-requests'),
});

export const rebuildSettings = z.object({
  ...postgresSettings.shape,
  ...rabbitmqSettings.shape,
  ...minioSettings.shape,
  ...logSettings.shape,
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
export type ExportSettings = z.infer<typeof exportSettings>;
export type WorkerSettings = z.infer<typeof workerSettings>;
export type QueryApiSettings = z.infer<typeof queryApiSettings>;
export type RebuildSettings = z.infer<typeof rebuildSettings>;
