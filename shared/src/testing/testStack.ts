import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import pg from 'pg';
import { queryApiSettings, rebuildSettings, workerSettings, type QueryApiSettings, type RebuildSettings, type WorkerSettings } from '../config/settings';
import { migrate } from '../db/migrate';
import { loadSettings } from '../config/loadSettings';
import { createMinioClient, type MinioClient } from '../storage/createMinioClient';
import { bareEtag, isNotFound } from '../storage/userObjects';
import { amqpUrls } from '../messaging/amqpUrl';
import { ingestTopology } from '../messaging/ingestTopology';
import { rebuildTopology } from '../messaging/rebuildTopology';
import { readEndpoints, type ServiceEndpoints } from './serviceEndpoints';
import { deleteEveryVersion } from './emptyBucket';
import { eventually } from './eventually';
import { provisionStack, stackLogins, unprovisionStack, type ServiceLogins, type ServiceName, type StackNames } from './stackProvisioning';

/** The test services' MinIO runs in MinIO's default region. */
const TEST_MINIO_REGION = 'us-east-1';

/** A user row as the tests compare it: Postgres' own columns, birthdate as milliseconds. */
export interface UserRowView {
  user_id: string;
  first_name: string;
  last_name: string;
  birthts: number;
  img_path: string | null;
}

/**
 * An isolated slice of the shared services for one test file: its own database, its own
 * src and res buckets, its own ingest queue bound to MinIO's exchange, and its own logins for
 * each service, allowed only what that service may do with those buckets and queues (made by
 * the same provisioning code as the real stack's). Files run in parallel without seeing each
 * other's rows or objects (events for other buckets reach every queue; the worker ignores them,
 * as it would in production).
 */
export class TestStack {
  readonly id = randomBytes(4).toString('hex');
  readonly srcBucket = `src-${this.id}`;
  readonly resBucket = `res-${this.id}`;
  readonly database = `test_${this.id}`;
  readonly queue = `ingest-${this.id}`;
  readonly rebuildQueue = `rebuild-${this.id}`;
  /** A client with MinIO's root account: a person dropping files, or a test looking behind the scenes. */
  readonly minio: MinioClient;
  /** Each service's logins; its RabbitMQ one is the shared user when these services cannot make users. */
  readonly logins: Record<ServiceName, ServiceLogins> = stackLogins(this.id);
  private rabbitmqUsers = false;
  private readonly admin: pg.Pool;
  private poolInstance: pg.Pool | undefined;
  private amqpModel: ChannelModel | undefined;
  private amqpChannel: Channel | undefined;
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  constructor(readonly services: ServiceEndpoints = readEndpoints()) {
    const p = services.postgres;
    this.admin = new pg.Pool({ host: p.host, port: p.port, user: p.user, password: p.password, database: p.database, max: 2 });
    const m = services.minio;
    this.minio = createMinioClient({ MINIO_HOST: m.host, MINIO_PORT: m.port, MINIO_USE_SSL: false, MINIO_REGION: TEST_MINIO_REGION, MINIO_ACCESS_KEY: m.accessKey, MINIO_SECRET_KEY: m.secretKey });
  }

  static async create(): Promise<TestStack> {
    const stack = new TestStack();
    await stack.admin.query(`CREATE DATABASE ${stack.database}`);
    ({ rabbitmqUsers: stack.rabbitmqUsers } = await provisionStack(stack.services, stack.names));
    // As if the rebuild had run once: it declares where the query API announces jobs.
    await rebuildTopology(stack.rebuildQueue).declare(await stack.channel());
    return stack;
  }

  /** What the stack's provisioning made: its buckets, queues and logins. */
  get names(): StackNames {
    return { srcBucket: this.srcBucket, resBucket: this.resBucket, outputKey: 'output.csv', ingestQueue: this.queue, rebuildQueue: this.rebuildQueue, logins: this.logins };
  }

  /** The RabbitMQ login a service of this stack uses. */
  rabbitmqLogin(service: ServiceName): { user: string; password: string } {
    const r = this.services.rabbitmq;
    return this.rabbitmqUsers ? this.logins[service].rabbitmq : { user: r.user, password: r.password };
  }

  /** Whether the services of this stack have RabbitMQ users of their own (not so with TEST_AMQP_URL). */
  get hasRabbitmqUsers(): boolean {
    return this.rabbitmqUsers;
  }

  /** An AMQP URL with a service's login, or the administrator's. */
  amqpUrl(service?: ServiceName): string {
    const r = this.services.rabbitmq;
    const login = service ? this.rabbitmqLogin(service) : { user: r.user, password: r.password };
    return amqpUrls({ RABBITMQ_HOST: r.host, RABBITMQ_PORT: r.port, RABBITMQ_USER: login.user, RABBITMQ_PASSWORD: login.password })[0]!;
  }

  /** A MinIO client with a service's own login. */
  minioAs(service: ServiceName): MinioClient {
    const m = this.services.minio;
    const { accessKey, secretKey } = this.logins[service].minio;
    return createMinioClient({ MINIO_HOST: m.host, MINIO_PORT: m.port, MINIO_USE_SSL: false, MINIO_REGION: TEST_MINIO_REGION, MINIO_ACCESS_KEY: accessKey, MINIO_SECRET_KEY: secretKey });
  }

  /** Worker settings pointing at this stack; tune anything with overrides. */
  settings(overrides: Partial<Record<keyof WorkerSettings, string>> = {}): WorkerSettings {
    const { postgres, rabbitmq, minio, notify } = this.services;
    return loadSettings(workerSettings, {
      POSTGRES_HOST: postgres.host,
      POSTGRES_PORT: String(postgres.port),
      POSTGRES_DB: this.database,
      POSTGRES_USER: postgres.user,
      POSTGRES_PASSWORD: postgres.password,
      POSTGRES_POOL_SIZE: '10',
      RABBITMQ_HOST: rabbitmq.host,
      RABBITMQ_PORT: String(rabbitmq.port),
      WORKER_RABBITMQ_USER: this.rabbitmqLogin('worker').user,
      WORKER_RABBITMQ_PASSWORD: this.rabbitmqLogin('worker').password,
      EVENTS_EXCHANGE: notify.exchange,
      EVENTS_ROUTING_KEY: notify.routingKey,
      INGEST_QUEUE: this.queue,
      MINIO_HOST: minio.host,
      MINIO_PORT: String(minio.port),
      WORKER_MINIO_ACCESS_KEY: this.logins.worker.minio.accessKey,
      WORKER_MINIO_SECRET_KEY: this.logins.worker.minio.secretKey,
      SRC_BUCKET: this.srcBucket,
      RES_BUCKET: this.resBucket,
      WORKER_HTTP_HOST: '127.0.0.1',
      WORKER_HTTP_PORT: '0',
      WORKER_RETRY_DELAYS_MS: '200,400',
      // Each delay queue once, as with the defaults' first three asks; the tests then see the end.
      WORKER_ASK_AGAIN_FOR_MS: '600',
      EXPORT_DEBOUNCE_MS: '50',
      EXPORT_MAX_DELAY_MS: '500',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...overrides,
    });
  }

  /** Query API settings pointing at this stack, with its read-only logins (Postgres when the services have one; MinIO always). */
  queryApiSettings(overrides: Partial<Record<keyof QueryApiSettings, string>> = {}): QueryApiSettings {
    const { postgres, rabbitmq, minio } = this.services;
    return loadSettings(queryApiSettings, {
      POSTGRES_HOST: postgres.host,
      POSTGRES_PORT: String(postgres.port),
      POSTGRES_DB: this.database,
      POSTGRES_USER: postgres.user,
      POSTGRES_PASSWORD: postgres.password,
      QUERY_POSTGRES_USER: postgres.query?.user ?? postgres.user,
      QUERY_POSTGRES_PASSWORD: postgres.query?.password ?? postgres.password,
      RABBITMQ_HOST: rabbitmq.host,
      RABBITMQ_PORT: String(rabbitmq.port),
      QUERY_RABBITMQ_USER: this.rabbitmqLogin('query').user,
      QUERY_RABBITMQ_PASSWORD: this.rabbitmqLogin('query').password,
      REBUILD_QUEUE: this.rebuildQueue,
      INGEST_QUEUE: this.queue,
      // As the worker's (settings()), so both name the same delay queues.
      WORKER_RETRY_DELAYS_MS: '200,400',
      MINIO_HOST: minio.host,
      MINIO_PORT: String(minio.port),
      MINIO_REGION: TEST_MINIO_REGION,
      SRC_BUCKET: this.srcBucket,
      QUERY_MINIO_ACCESS_KEY: this.logins.query.minio.accessKey,
      QUERY_MINIO_SECRET_KEY: this.logins.query.minio.secretKey,
      // No health servers unless a test starts some: the machine's own `make up` services must not answer for the stack's.
      API_STATUS_SERVICES: 'none',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...overrides,
    });
  }

  /** Rebuild settings pointing at this stack. */
  rebuildSettings(overrides: Partial<Record<keyof RebuildSettings, string>> = {}): RebuildSettings {
    const w = this.settings();
    return loadSettings(rebuildSettings, {
      ...Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)])),
      REBUILD_RABBITMQ_USER: this.rabbitmqLogin('rebuild').user,
      REBUILD_RABBITMQ_PASSWORD: this.rabbitmqLogin('rebuild').password,
      REBUILD_MINIO_ACCESS_KEY: this.logins.rebuild.minio.accessKey,
      REBUILD_MINIO_SECRET_KEY: this.logins.rebuild.minio.secretKey,
      REBUILD_QUEUE: this.rebuildQueue,
      REBUILD_CONCURRENCY: '8',
      REBUILD_PROGRESS_INTERVAL_MS: '1000',
      REBUILD_HTTP_HOST: '127.0.0.1',
      REBUILD_HTTP_PORT: '0',
      ...overrides,
    });
  }

  /** Brings this stack's database to the current schema (a worker does this at start). */
  async migrate(): Promise<void> {
    await migrate(this.db);
  }

  get topology() {
    const s = this.settings();
    return ingestTopology({ exchange: s.EVENTS_EXCHANGE, routingKey: s.EVENTS_ROUTING_KEY, queue: s.INGEST_QUEUE, retryDelaysMs: s.WORKER_RETRY_DELAYS_MS });
  }

  /** A pool on this stack's database, for reading what the worker wrote. */
  get db(): pg.Pool {
    if (!this.poolInstance) {
      const p = this.services.postgres;
      this.poolInstance = new pg.Pool({ host: p.host, port: p.port, user: p.user, password: p.password, database: this.database, max: 4 });
    }
    return this.poolInstance;
  }

  /** Registers something to undo in dispose(), last registered first. */
  onDispose(fn: () => Promise<unknown>): void {
    this.cleanups.push(fn);
  }

  // --- the bucket --------------------------------------------------------------------------

  async put(key: string, body: string | Buffer): Promise<void> {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    await this.minio.putObject(this.srcBucket, key, data, data.length);
  }

  async putUser(userId: string, firstName: string, lastName: string, birthts: number): Promise<void> {
    await this.put(`${userId}.csv`, `first_name,last_name,birthts\n${firstName},${lastName},${birthts}\n`);
  }

  async remove(key: string): Promise<void> {
    await this.minio.removeObject(this.srcBucket, key);
  }

  async etag(key: string): Promise<string> {
    return bareEtag((await this.minio.statObject(this.srcBucket, key)).etag);
  }

  /** output.csv as text, or null while it does not exist. */
  async outputCsv(): Promise<string | null> {
    try {
      const stream = await this.minio.getObject(this.resBucket, 'output.csv');
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  // --- the database ------------------------------------------------------------------------

  async users(): Promise<UserRowView[]> {
    try {
      const { rows } = await this.db.query<UserRowView>(
        `SELECT user_id, first_name, last_name, (extract(epoch FROM birthdate) * 1000)::bigint AS birthts, img_path
           FROM users ORDER BY user_id`,
      );
      return rows;
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return []; // not migrated yet
      throw err;
    }
  }

  async user(userId: string): Promise<UserRowView | undefined> {
    return (await this.users()).find((u) => u.user_id === userId);
  }

  async rejections(): Promise<{ key: string; user_id: string; etag: string; reason: string }[]> {
    const { rows } = await this.db.query('SELECT key, user_id, etag, reason FROM rejected_files ORDER BY key');
    return rows;
  }

  // --- RabbitMQ ----------------------------------------------------------------------------

  /** A channel with the administrator's login, for looking at and feeding the stack's queues. */
  async channel(): Promise<Channel> {
    if (!this.amqpChannel) {
      this.amqpModel = await amqp.connect(this.amqpUrl());
      this.amqpChannel = await this.amqpModel.createChannel();
    }
    return this.amqpChannel;
  }

  async messageCount(queue: string): Promise<number> {
    return (await (await this.channel()).checkQueue(queue)).messageCount;
  }

  /** Takes every message now in a queue (acknowledging them), in queue order. */
  async drain(queue: string): Promise<GetMessage[]> {
    const ch = await this.channel();
    const messages: GetMessage[] = [];
    for (let m = await ch.get(queue); m; m = await ch.get(queue)) {
      ch.ack(m);
      messages.push(m);
    }
    return messages;
  }

  async sendToQueue(queue: string, body: Buffer | string, headers: Record<string, unknown> = {}): Promise<void> {
    const ch = await this.channel();
    ch.sendToQueue(queue, typeof body === 'string' ? Buffer.from(body) : body, { persistent: true, headers });
  }

  /** Waits until the queue holds no ready message. */
  async queueSettled(queue: string = this.queue): Promise<void> {
    await eventually(async () => expectZero(await this.messageCount(queue)));
  }

  // --- cleanup -----------------------------------------------------------------------------

  async dispose(): Promise<void> {
    for (const fn of this.cleanups.reverse()) await fn().catch(() => undefined);
    const t = this.topology;
    const rebuild = rebuildTopology(this.rebuildQueue);
    const ch = await this.channel().catch(() => undefined);
    for (const q of [t.queue, t.deadLetterQueue, ...t.retryQueues.map((r) => r.name), rebuild.queue]) await ch?.deleteQueue(q).catch(() => undefined);
    await ch?.deleteExchange(rebuild.exchange).catch(() => undefined);
    await this.amqpModel?.close().catch(() => undefined);
    await this.poolInstance?.end();
    for (const bucket of [this.srcBucket, this.resBucket]) await this.removeBucket(bucket).catch(() => undefined);
    await unprovisionStack(this.services, this.names);
    await this.admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`).catch(() => undefined);
    await this.admin.end();
  }

  private async removeBucket(bucket: string): Promise<void> {
    await deleteEveryVersion(this.minio, bucket);
    await this.minio.removeBucket(bucket);
  }
}

function expectZero(n: number): void {
  if (n !== 0) throw new Error(`${n} messages still queued`);
}
