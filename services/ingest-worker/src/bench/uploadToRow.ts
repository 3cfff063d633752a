/**
 * Benchmark: time from an upload to its row being in Postgres, against the running stack
 * (`make up`). Prints the distribution; asserts nothing. Two loads:
 * - one upload after another (each waits for the previous row): the latency of a quiet queue;
 * - a steady rate, open loop (upload i starts at i/rate s whatever happened before), the load
 *   at which batching must not cost latency (README, Benchmarks).
 * The steady rate has a floor, run first: the same uploads at the same rate into a bucket of
 * the bench's own, subscribed to the same MinIO targets, each timed until the first copy of its
 * event reaches a queue of the bench's own. No row can come sooner than its event; the worker's
 * figure is read against it (its extra work meanwhile: acking the floor bucket's events, which
 * reach its queue too and cost it no query). The worker's run also times each event to a queue of the
 * bench's own, so a row's time splits into MinIO's part and the worker's.
 * Every event comes once per MinIO target (docs/design.md, "Edges worth knowing"); the durable
 * target's copy lags when MinIO cannot send it as fast as the uploads come, so the bench prints
 * that lag, and waits for every copy before it goes on: a phase left with copies still coming
 * would load the next one, and copies of files the bench already deleted, every version and
 * marker, would have the worker ask them again (docs/design.md, "Asked again").
 *
 *   node services/ingest-worker/dist/bench/uploadToRow.js [sequential=300] [rate=200] [seconds=20]
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import pg from 'pg';
import amqp from 'amqplib';
import { NotificationConfig, ObjectCreatedAll, QueueConfig } from 'minio';
import {
  amqpUrls,
  decodeBucketEvent,
  connectionOptions,
  createLogger,
  createMinioClient,
  createPool,
  loadSettings,
  minioSettings,
  postgresSettings,
  rabbitmqSettings,
  USERS_CHANGED_CHANNEL,
  type MinioClient,
  type Pool,
} from '@userpipe/shared';
import { deleteEveryVersion } from '@userpipe/shared/testing';

const settings = loadSettings(z.object({ ...postgresSettings.shape, ...minioSettings.shape, ...rabbitmqSettings.shape }));
const sequential = Number(process.argv[2] ?? 300);
const rate = Number(process.argv[3] ?? 200);
const seconds = Number(process.argv[4] ?? 20);
/** Uploads in a steady-rate run, the floor's and the worker's alike. */
const steadyUploads = Math.round(rate * seconds);
const TIMEOUT_MS = 60_000;
/** How long the bench waits for the durable target's copies, which can lag by minutes. */
const COPIES_TIMEOUT_MS = 300_000;
const run = randomBytes(3).toString('hex');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(what: string, latencies: number[]): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(what);
  console.log(`  median ${fmt(percentile(sorted, 50))}   p90 ${fmt(percentile(sorted, 90))}   p99 ${fmt(percentile(sorted, 99))}   max ${fmt(sorted.at(-1)!)}   min ${fmt(sorted[0]!)}`);
}

function csvOf(i: number): Buffer {
  return Buffer.from(`first_name,last_name,birthts\nBench,User ${i},${Date.UTC(1990, 0, 1) + i}\n`);
}

async function upload(minio: MinioClient, userId: string, i: number, bucket = settings.SRC_BUCKET): Promise<void> {
  const body = csvOf(i);
  await minio.putObject(bucket, `${userId}.csv`, body, body.length);
}

/**
 * Uploads `rate` files a second for `seconds` s, open loop: upload i is due at i/rate s, whatever
 * happened before. `uploaded` hears of each when its PUT returns, with the time it was due.
 */
async function openLoop(minio: MinioClient, bucket: string, prefix: string, ids: string[], uploaded: (userId: string, due: number) => void): Promise<number> {
  let lateStarts = 0;
  const t0 = performance.now();
  const puts: Promise<void>[] = [];
  for (let i = 0; i < steadyUploads; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -5) lateStarts++;
    const userId = `${prefix}${i}`;
    ids.push(userId);
    // The clock starts when the upload is due, so a load generator running late counts against us, not for us.
    puts.push(upload(minio, userId, i, bucket).then(() => uploaded(userId, due)));
  }
  await Promise.all(puts);
  return lateStarts;
}

/** One upload at a time, each followed by polling for its row. */
async function oneAfterAnother(pool: Pool, minio: MinioClient, ids: string[]): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < sequential; i++) {
    const userId = `bench-${run}-s${i}`;
    ids.push(userId);
    const started = performance.now();
    await upload(minio, userId, i);
    for (;;) {
      const { rowCount } = await pool.query('SELECT 1 FROM users WHERE user_id = $1', [userId]);
      if (rowCount) break;
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`${userId} did not arrive within ${TIMEOUT_MS} ms: is the worker running (make up)?`);
      await sleep(1);
    }
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/**
 * Uploads at a steady rate, not waiting for rows (a slow worker does not slow the load down).
 * Rows are looked for when the worker announces a commit (the NOTIFY the exporter listens to),
 * so finding them costs the database one query per commit, however far behind the worker is.
 */
async function steadyRate(pool: Pool, minio: MinioClient, watch: EventWatch, ids: string[]): Promise<{ latencies: number[]; toEvent: number[]; eventToRow: number[]; lastCopy: number[]; lateStarts: number }> {
  // Per user id: when its upload was due, and when its row was found; users still without one.
  const due = new Map<string, number>();
  const rowAt = new Map<string, number>();
  const pending = new Set<string>();
  let uploading = true;
  const listener = new pg.Client(connectionOptions(settings));
  await listener.connect();
  let committed = () => {};
  listener.on('notification', () => committed());
  await listener.query(`LISTEN ${USERS_CHANGED_CHANNEL}`);
  const poller = (async () => {
    while (uploading || pending.size > 0) {
      if (pending.size > 0) {
        const { rows } = await pool.query<{ user_id: string }>('SELECT user_id FROM users WHERE user_id = ANY($1::text[])', [[...pending]]);
        const now = performance.now();
        for (const { user_id } of rows) {
          rowAt.set(user_id, now);
          pending.delete(user_id);
        }
        for (const userId of pending) if (now - due.get(userId)! > TIMEOUT_MS) throw new Error(`${userId} did not arrive within ${TIMEOUT_MS} ms: is the worker running (make up)?`);
      }
      // The next commit, or a look anyway after 50 ms (an upload that finished after the last one).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        committed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  const lateStarts = await openLoop(minio, settings.SRC_BUCKET, `bench-${run}-r`, ids, (userId, at) => {
    due.set(userId, at);
    pending.add(userId);
  });
  uploading = false;
  try {
    await poller;
  } finally {
    await listener.end();
  }
  const keys = [...due.keys()].map((userId) => `${userId}.csv`);
  await watch.everyCopy(settings.SRC_BUCKET, keys, 'created');
  // Where a row's time went: MinIO's event (as a queue of our own saw it) and then the worker.
  const event = (userId: string) => watch.copies(settings.SRC_BUCKET, `${userId}.csv`, 'created')[0];
  const seen = [...rowAt.keys()].filter((userId) => event(userId) !== undefined);
  return {
    latencies: [...rowAt].map(([userId, at]) => at - due.get(userId)!),
    toEvent: seen.map((userId) => event(userId)! - due.get(userId)!),
    eventToRow: seen.map((userId) => rowAt.get(userId)! - event(userId)!),
    lastCopy: [...due].map(([userId, at]) => watch.copies(settings.SRC_BUCKET, `${userId}.csv`, 'created').at(-1)! - at),
    lateStarts,
  };
}

/** How many copies of each event MinIO sends: one per target the buckets are subscribed to. */
const targetIds = [settings.MINIO_NOTIFY_TARGET_ID, settings.MINIO_NOTIFY_FAST_TARGET_ID].filter(Boolean);

/**
 * Every copy of every bucket event, as a queue of the bench's own bound to the events exchange
 * like the worker's sees them, with when each arrived: what MinIO delivered, and when, with no
 * worker involved.
 */
class EventWatch {
  private readonly arrivals = new Map<string, number[]>();

  private constructor(private readonly connection: amqp.ChannelModel) {}

  static async start(): Promise<EventWatch> {
    const watch = new EventWatch(await amqp.connect(amqpUrls(settings)[0]!));
    const channel = await watch.connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, settings.EVENTS_EXCHANGE, settings.EVENTS_ROUTING_KEY);
    await channel.consume(queue, (message) => {
      if (!message) return;
      const now = performance.now();
      for (const record of decodeBucketEvent(message.content)) {
        const kind = record.eventName.startsWith('s3:ObjectRemoved:') ? 'removed' : 'created';
        const name = EventWatch.arrivalName(record.bucket, record.key, kind);
        const times = watch.arrivals.get(name);
        if (times) times.push(now);
        else watch.arrivals.set(name, [now]);
      }
    }, { noAck: true });
    return watch;
  }

  private static arrivalName(bucket: string, key: string, kind: 'created' | 'removed'): string {
    return `${kind} ${bucket}/${key}`;
  }

  /**
   * Waits until the worker has worked off what its queue held before the bench: every queue
   * bound to MinIO's events gets every bucket's, so a checkout's `ingest` holds the events of
   * every test stack that ran while its worker was stopped (a million and more, worked off at
   * about 20,000/s). Timed while it did so, the first upload waited behind them.
   */
  async workerCaughtUp(): Promise<void> {
    const channel = await this.connection.createChannel();
    try {
      const started = performance.now();
      const first = (await channel.checkQueue(settings.INGEST_QUEUE)).messageCount;
      if (first === 0) return;
      console.log(`the worker's queue ${settings.INGEST_QUEUE} holds ${first} messages from before the bench (other buckets' events?): waiting until it is empty`);
      for (let queued = first; queued > 0; queued = (await channel.checkQueue(settings.INGEST_QUEUE)).messageCount) {
        if (performance.now() - started > COPIES_TIMEOUT_MS) throw new Error(`${queued} messages still in ${settings.INGEST_QUEUE} after ${COPIES_TIMEOUT_MS} ms: is the worker running (make up)?`);
        await sleep(500);
      }
      console.log(`  empty after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await channel.close();
    }
  }

  /** When each copy of a key's event arrived, the first first. */
  copies(bucket: string, key: string, kind: 'created' | 'removed'): number[] {
    return this.arrivals.get(EventWatch.arrivalName(bucket, key, kind)) ?? [];
  }

  /** Waits until the first copy of each key's event has come; throws for any that did not. */
  async firstCopy(bucket: string, keys: string[], kind: 'created' | 'removed'): Promise<void> {
    const missing = await this.waitFor(bucket, keys, kind, 1, TIMEOUT_MS);
    if (missing.length > 0) throw new Error(`${missing.length} uploads' events did not arrive within ${TIMEOUT_MS} ms (first: ${missing[0]})`);
  }

  /** Waits (a while: the durable target may lag by minutes) until every copy of each key's event has come. */
  async everyCopy(bucket: string, keys: string[], kind: 'created' | 'removed'): Promise<void> {
    const missing = await this.waitFor(bucket, keys, kind, targetIds.length, COPIES_TIMEOUT_MS);
    if (missing.length > 0) console.log(`  (${missing.length} events ${kind} in ${bucket} still lacked a copy after ${COPIES_TIMEOUT_MS / 1000} s; first: ${missing[0]})`);
  }

  private async waitFor(bucket: string, keys: string[], kind: 'created' | 'removed', copies: number, timeoutMs: number): Promise<string[]> {
    const lacking = () => keys.filter((key) => this.copies(bucket, key, kind).length < copies);
    for (const deadline = performance.now() + timeoutMs; lacking().length > 0 && performance.now() < deadline; ) await sleep(100);
    return lacking();
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * The steady rate's floor: the same uploads, at the same rate, into a bucket of the bench's own
 * subscribed to the same MinIO targets, each timed from when it was due until the first copy of
 * its event reaches a queue of the bench's own. Nothing of ours runs in between.
 */
async function eventFloor(minio: MinioClient, watch: EventWatch): Promise<{ latencies: number[]; lastCopy: number[]; lateStarts: number }> {
  const bucket = `bench-floor-${run}`;
  await minio.makeBucket(bucket, settings.MINIO_REGION);
  const ids: string[] = [];
  try {
    const subscription = new NotificationConfig();
    for (const target of targetIds) {
      const queue = new QueueConfig(`arn:minio:sqs::${target}:mqtt`);
      queue.addEvent(ObjectCreatedAll);
      subscription.add(queue);
    }
    await minio.setBucketNotification(bucket, subscription);
    const due = new Map<string, number>();
    const lateStarts = await openLoop(minio, bucket, `floor-${run}-`, ids, (userId, at) => void due.set(`${userId}.csv`, at));
    await watch.firstCopy(bucket, [...due.keys()], 'created');
    await watch.everyCopy(bucket, [...due.keys()], 'created');
    const copies = (key: string) => watch.copies(bucket, key, 'created');
    return { latencies: [...due].map(([key, at]) => copies(key)[0]! - at), lastCopy: [...due].map(([key, at]) => copies(key).at(-1)! - at), lateStarts };
  } finally {
    await deleteEveryVersion(minio, bucket);
    await minio.removeBucket(bucket);
  }
}

/**
 * Leaves the source bucket as it was. Removing the bench's files has the worker delete their
 * rows; once it has, their versions and delete markers go too, which the bucket would otherwise
 * keep (markers do not expire: infra/minio/provision), so that each run made every later listing
 * of the bucket (a rebuild's) walk a few thousand more deleted keys.
 */
async function leaveNoTrace(pool: Pool, minio: MinioClient, watch: EventWatch, ids: string[]): Promise<void> {
  const keys = ids.map((id) => `${id}.csv`);
  for (let i = 0; i < keys.length; i += 1000) await minio.removeObjects(settings.SRC_BUCKET, keys.slice(i, i + 1000));
  const left = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE user_id LIKE $1', [`bench-${run}-%`])).rows[0]!.n;
  for (const deadline = performance.now() + TIMEOUT_MS; (await left()) > 0 && performance.now() < deadline; ) await sleep(200);
  await watch.everyCopy(settings.SRC_BUCKET, keys, 'created');
  await watch.everyCopy(settings.SRC_BUCKET, keys, 'removed');
  await idleIngestQueue();
  await deleteEveryVersion(minio, settings.SRC_BUCKET, `bench-${run}-`);
}

/** Waits until the worker's queue holds no ready message (its last copies taken), up to a minute. */
async function idleIngestQueue(): Promise<void> {
  const connection = await amqp.connect(amqpUrls(settings)[0]!);
  try {
    const channel = await connection.createChannel();
    for (const deadline = performance.now() + TIMEOUT_MS; performance.now() < deadline; await sleep(500)) {
      if ((await channel.checkQueue(settings.INGEST_QUEUE)).messageCount === 0) return;
    }
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const pool = createPool({ ...settings, POSTGRES_POOL_SIZE: 2 }, createLogger('bench', 'warn'));
  const minio = createMinioClient(settings);
  const watch = await EventWatch.start();
  const ids: string[] = [];
  try {
    await watch.workerCaughtUp();
    if (sequential > 0) report(`upload -> row in Postgres, ${sequential} sequential uploads of one-row csv files`, await oneAfterAnother(pool, minio, ids));
    if (rate > 0 && seconds > 0) {
      const floor = await eventFloor(minio, watch);
      report(`floor: upload -> its event in a queue of our own, ${rate} uploads/s for ${seconds} s (no worker involved; ${floor.lateStarts} started over 5 ms late)`, floor.latencies);
      if (targetIds.length > 1) report(`  and -> its last copy (one per MinIO target: ${targetIds.join(', ')})`, floor.lastCopy);
      const { latencies, toEvent, eventToRow, lastCopy, lateStarts } = await steadyRate(pool, minio, watch, ids);
      report(`upload -> row in Postgres, ${rate} uploads/s for ${seconds} s (${latencies.length} uploads, open loop; ${lateStarts} started over 5 ms late)`, latencies);
      report(`  of which upload -> its event in a queue of our own, the worker running`, toEvent);
      report(`  and that event -> row (the worker, and when the row was looked for: at each commit's NOTIFY)`, eventToRow);
      if (targetIds.length > 1) report(`  upload -> its event's last copy, the worker running`, lastCopy);
    }
  } finally {
    await leaveNoTrace(pool, minio, watch, ids);
    await watch.close();
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
