/**
 * Benchmark of the rebuild on its own buckets and database (`bench-src`, `bench-res`,
 * `<POSTGRES_DB>_rebuild_bench`; the bucket is filled once and kept for later runs): N users, half
 * with a picture. Prints, with REBUILD_CONCURRENCY:
 * - listing the bucket and downloading every csv, no processing (the floor);
 * - a --full rebuild into an empty table, a --full rebuild over it, and a default rebuild of
 *   the unchanged bucket, each run as `make rebuild` runs it, with its peak memory.
 *
 *   node services/rebuild/dist/bench/rebuildSpeed.js [users=100000]
 *
 * Logins, as in production (README, Credentials): the bucket is filled with MinIO's root account
 * (MINIO_ACCESS_KEY, as people's tools use it). The rebuild, and the floor with the same client,
 * log in as a rebuild user of the bench's own, made for the bench's buckets by the project's
 * provisioning with the rebuild's policy template (infra/minio/policies/rebuild.json), as each test
 * stack gets its own (shared/src/testing/stackProvisioning.ts); the real rebuild user's policy
 * stays on `src` and `res`. The CLI gets only the rebuild's settings, with these logins. The
 * bench's users are removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BucketItem } from 'minio';
import pg from 'pg';
import {
  createLogger,
  createMinioClient,
  createPool,
  ensureBucket,
  loadSettings,
  migrate,
  minioSettings,
  postgresSettings,
  rebuildSettings,
  type MinioClient,
  type RebuildSettings,
} from '@userpipe/shared';
import {
  asEnv,
  endpointsFromSettings,
  provisionStack,
  SERVICES,
  unprovisionStack,
  type ServiceLogins,
  type ServiceName,
  type StackNames,
} from '@userpipe/shared/testing';
import { createLimiter } from '../limiter';

const users = Number(process.argv[2] ?? 100_000);
const pictures = Math.ceil(users / 2);
const bucket = 'bench-src';
const resBucket = 'bench-res';
/** The stack's own database, where the bench's is created from. */
const mainDatabase = loadSettings(postgresSettings).POSTGRES_DB;
const database = `${mainDatabase}_rebuild_bench`;
const CLI = path.resolve(__dirname, '../cli.js');

/** The bench's own users, one per service as the provisioning makes them (only the rebuild's is used); fresh secrets each run. */
const logins = Object.fromEntries(
  SERVICES.map((service): [ServiceName, ServiceLogins] => {
    const name = `userpipe-bench-${service}`;
    return [service, { minio: { accessKey: name, secretKey: randomBytes(16).toString('hex') }, rabbitmq: { user: name, password: randomBytes(16).toString('hex') } }];
  }),
) as Record<ServiceName, ServiceLogins>;

/** What the bench's provisioning is about: its buckets, queue names of its own (for its RabbitMQ users' permissions), its logins. */
const names: StackNames = {
  srcBucket: bucket,
  resBucket,
  outputKey: loadSettings(minioSettings).OUTPUT_KEY,
  ingestQueue: 'bench-ingest',
  rebuildQueue: 'bench-rebuild-requests',
  logins,
};

/** The rebuild's settings (tuning from the environment: .env under infra/local/run.sh), on the bench's buckets, database and logins. */
const settings: RebuildSettings = loadSettings(rebuildSettings, {
  ...process.env,
  POSTGRES_DB: database,
  SRC_BUCKET: bucket,
  RES_BUCKET: resBucket,
  REBUILD_QUEUE: names.rebuildQueue,
  REBUILD_MINIO_ACCESS_KEY: logins.rebuild.minio.accessKey,
  REBUILD_MINIO_SECRET_KEY: logins.rebuild.minio.secretKey,
  REBUILD_RABBITMQ_USER: logins.rebuild.rabbitmq.user,
  REBUILD_RABBITMQ_PASSWORD: logins.rebuild.rabbitmq.password,
  LOG_LEVEL: 'warn',
});
const concurrency = settings.REBUILD_CONCURRENCY;

/**
 * The rebuild's limiter, whose failed task fails the run: the limiter alone leaves a task's
 * rejection unhandled, which would end the process before the bench's users are removed. Once a
 * task failed, nothing more is started.
 */
function boundedWork(concurrency: number) {
  const limiter = createLimiter(concurrency);
  let failure: { error: unknown } | undefined;
  const idle = async (): Promise<void> => {
    await limiter.idle();
    if (failure) throw failure.error;
  };
  return {
    async schedule(task: () => Promise<void>): Promise<void> {
      if (failure) return idle();
      await limiter.schedule(async () => {
        try {
          await task();
        } catch (error) {
          failure ??= { error };
        }
      });
    },
    idle,
  };
}

/** Makes the bucket hold exactly the bench's users (adding what is missing, removing anything else), with the root account. */
async function fillBucket(root: MinioClient): Promise<void> {
  await ensureBucket(root, bucket);
  const wanted = new Set<string>();
  for (let i = 0; i < users; i++) {
    wanted.add(`${userId(i)}.csv`);
    if (i % 2 === 0) wanted.add(`${userId(i)}.png`);
  }
  const present = new Set<string>();
  const extra: string[] = [];
  for await (const item of root.listObjectsV2(bucket, '', false) as AsyncIterable<BucketItem>) {
    if (!item.name) continue;
    if (wanted.has(item.name)) present.add(item.name);
    else extra.push(item.name);
  }
  if (extra.length) {
    process.stdout.write(`removing ${extra.length} objects of other runs from ${bucket}... `);
    for (let i = 0; i < extra.length; i += 1000) {
      const failed = (await root.removeObjects(bucket, extra.slice(i, i + 1000))).filter((r) => r?.Error);
      if (failed.length) throw new Error(`removing objects from ${bucket}: ${JSON.stringify(failed[0])}`);
    }
    console.log('done');
  }
  if (present.size === wanted.size) return;
  const missingCsv = users - [...present].filter((k) => k.endsWith('.csv')).length;
  const missingPng = wanted.size - present.size - missingCsv;
  process.stdout.write(`uploading ${missingCsv} csv files and ${missingPng} pictures to ${bucket}... `);
  const started = performance.now();
  const limiter = boundedWork(32);
  for (let i = 0; i < users; i++) {
    const id = userId(i);
    const csv = Buffer.from(`first_name,last_name,birthts\nBench ${i},"User, ${i}",${Date.UTC(1930, 0, 1) + i * 1000}\n`);
    const needCsv = !present.has(`${id}.csv`);
    const needPng = i % 2 === 0 && !present.has(`${id}.png`);
    if (!needCsv && !needPng) continue;
    await limiter.schedule(async () => {
      if (needCsv) await root.putObject(bucket, `${id}.csv`, csv, csv.length);
      if (needPng) await root.putObject(bucket, `${id}.png`, Buffer.from('png'), 3);
    });
  }
  await limiter.idle();
  console.log(`${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function userId(i: number): string {
  return `b${String(i).padStart(7, '0')}`;
}

async function freshDatabase(): Promise<void> {
  const admin = new pg.Client({ host: settings.POSTGRES_HOST, port: settings.POSTGRES_PORT, user: settings.POSTGRES_USER, password: settings.POSTGRES_PASSWORD, database: mainDatabase });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
}

/** The floor: with the rebuild's client and login, list the bucket and download every csv, REBUILD_CONCURRENCY at a time. */
async function downloadEverything(minio: MinioClient): Promise<number> {
  const started = performance.now();
  const limiter = boundedWork(concurrency);
  for await (const item of minio.listObjectsV2(bucket, '', false) as AsyncIterable<BucketItem>) {
    if (!item.name?.endsWith('.csv')) continue;
    const key = item.name;
    await limiter.schedule(async () => {
      // Read to the end, as the rebuild does; only the time counts.
      for await (const _chunk of await minio.getObject(bucket, key)) continue;
    });
  }
  await limiter.idle();
  return performance.now() - started;
}

const peakProbe = path.join(mkdtempSync(path.join(tmpdir(), 'rebuild-bench-')), 'peak.js');
writeFileSync(peakProbe, `process.on('exit', () => process.stderr.write('PEAK_RSS_KB=' + process.resourceUsage().maxRSS + '\\n'));\n`);

/** What the rebuild CLI prints, as far as this benchmark reads it. */
interface CliSummary {
  inserted: number;
  unchanged: number;
  csvReads: number;
  failed: number;
  failures: unknown[];
}

function rebuild(args: string[]): { seconds: number; peakMb: number; summary: CliSummary } {
  const started = performance.now();
  // As a service process gets them: the rebuild's settings only (not the root account's or the administrator's).
  const run = spawnSync(process.execPath, ['--require', peakProbe, CLI, ...args], {
    env: { PATH: process.env.PATH, ...asEnv(settings) },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`rebuild ${args.join(' ')} failed (${run.status}): ${run.stdout}\n${run.stderr}`);
  const peakKb = Number(/PEAK_RSS_KB=(\d+)/.exec(run.stderr)?.[1] ?? 0);
  return { seconds, peakMb: peakKb / 1024, summary: JSON.parse(run.stdout) as CliSummary };
}

async function main(): Promise<void> {
  const services = endpointsFromSettings(process.env);
  const root = createMinioClient(loadSettings(minioSettings));
  try {
    await provisionStack(services, names);
    // The provisioning subscribes the source bucket to MinIO's MQTT targets; the bench's bucket
    // must not send its uploads' events to the ingest queues (the worker's, other stacks').
    await root.removeAllBucketNotification(bucket);
    await fillBucket(root);
    await freshDatabase();
    // The worker's migrations create the schema; the rebuild CLI expects it.
    const pool = createPool(settings, createLogger('bench', 'warn'));
    await migrate(pool);
    await pool.end();

    const download = await downloadEverything(createMinioClient(settings));
    console.log(`${users} users, ${pictures} with a picture, concurrency ${concurrency}, as MinIO user ${logins.rebuild.minio.accessKey} (rebuild policy on ${bucket}, ${resBucket})`);
    console.log(`list + download every csv, no processing:  ${(download / 1000).toFixed(1)} s`);
    const line = (what: string, r: ReturnType<typeof rebuild>) =>
      console.log(`${what} ${r.seconds.toFixed(1)} s  (x${(r.seconds / (download / 1000)).toFixed(2)} the download)  peak ${r.peakMb.toFixed(0)} MB  ` +
        `inserted ${r.summary.inserted} unchanged ${r.summary.unchanged} csv reads ${r.summary.csvReads}` +
        (r.summary.failed ? `  FAILED ${r.summary.failed}: ${JSON.stringify(r.summary.failures)}` : ''));
    line('--full rebuild into an empty table:        ', rebuild(['--full']));
    line('--full rebuild over an unchanged bucket:   ', rebuild(['--full']));
    line('default rebuild over an unchanged bucket:  ', rebuild([]));
  } finally {
    await unprovisionStack(services, names);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
