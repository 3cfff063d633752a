/**
 * Benchmark of the output.csv export as the worker runs it (shared/src/export/exportOutputCsv.ts:
 * one snapshot COPY spooled to a file, one PUT) at each table size given (default 100,000 and
 * 1,000,000 users), each in a database of its own, filled once and kept (the million-user one is
 * bench-query's). For each size, five exports into a bucket of the bench's
 * own (`bench-res`), and against them the floor: the same COPY statement into a file and one PUT
 * of that file, without the export's lock, snapshot transaction and record around them (the two
 * alternate, so neither always meets a cold cache). Prints seconds (median of five), the output's size, rows/s, the ratio to the floor and the
 * process's memory growth during the export; asserts nothing. docs/scaling.md is built on it.
 *
 *   node services/ingest-worker/dist/bench/exportSpeed.js [users=100000,1000000]
 *
 * Logins: the database owner's (to fill the databases) and MinIO's root account (the bench's own
 * bucket), from the environment or .env as `make bench-export` gives them.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { COPY_USERS_CSV, createLogger, createMinioClient, createPool, exportOutputCsv, loadSettings, minioSettings, postgresSettings, type Pool } from '@userpipe/shared';
import { benchDatabaseName, prepareBenchDatabase } from '@userpipe/shared/testing';

const sizes = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const RUNS = 5;
const BUCKET = 'bench-res';
const owner = loadSettings(postgresSettings);
const minio = createMinioClient(loadSettings(minioSettings));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `fn`, sampling the process's RSS every 20 ms: its seconds and how far RSS rose above where it started. */
async function measured<T>(fn: () => Promise<T>): Promise<{ seconds: number; rssGrowthMb: number; result: T }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  try {
    const result = await fn();
    return { seconds: (performance.now() - started) / 1000, rssGrowthMb: (Math.max(peak, process.memoryUsage.rss()) - base) / 2 ** 20, result };
  } finally {
    clearInterval(sampler);
  }
}

/** The floor: the export's COPY into a file, then one PUT of that file; nothing around them. */
async function floorExport(pool: Pool): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'export-floor-'));
  const file = path.join(dir, 'output.csv');
  const client = await pool.connect();
  try {
    await pipeline(client.query(copyTo(COPY_USERS_CSV)), createWriteStream(file));
    const { size } = await stat(file);
    await minio.putObject(BUCKET, 'floor.csv', createReadStream(file), size);
    return size;
  } finally {
    client.release();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (!(await minio.bucketExists(BUCKET))) await minio.makeBucket(BUCKET);
  console.log(`output.csv export, ${RUNS} runs per size (median), into ${BUCKET}`);
  for (const users of sizes) {
    const database = benchDatabaseName(owner.POSTGRES_DB, users);
    await prepareBenchDatabase(owner, database, users, 'src');
    const pool = createPool({ ...owner, POSTGRES_DB: database }, createLogger('bench', 'warn'));
    try {
      const floor: number[] = [];
      const ours: { seconds: number; rssGrowthMb: number; bytes: number }[] = [];
      for (let run = 0; run < RUNS; run++) {
        const runFloor = async () => floor.push((await measured(() => floorExport(pool))).seconds);
        const runOurs = async () => {
          const m = await measured(() => exportOutputCsv(pool, minio, { bucket: BUCKET, key: 'output.csv' }));
          ours.push({ seconds: m.seconds, rssGrowthMb: m.rssGrowthMb, bytes: m.result.bytes });
        };
        if (run % 2 === 0) await runFloor().then(runOurs);
        else await runOurs().then(runFloor);
      }
      const seconds = median(ours.map((o) => o.seconds));
      const floorSeconds = median(floor);
      const mb = ours[0]!.bytes / 2 ** 20;
      console.log(
        `${users.toLocaleString('en')} users: export ${seconds.toFixed(2)} s (${Math.round(users / seconds).toLocaleString('en')} rows/s), ` +
          `${mb.toFixed(1)} MiB, x${(seconds / floorSeconds).toFixed(2)} the floor (${floorSeconds.toFixed(2)} s), ` +
          `memory growth at most ${Math.max(...ours.map((o) => o.rssGrowthMb)).toFixed(0)} MB`,
      );
    } finally {
      await pool.end();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
