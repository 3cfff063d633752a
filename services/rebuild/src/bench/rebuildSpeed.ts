/**
 * Benchmark of the rebuild on its own bucket and database (`bench-src`, `<POSTGRES_DB>_rebuild_bench`;
 * filled once, kept for later runs): N users, half with a picture. Prints, with REBUILD_CONCURRENCY:
 * - listing the bucket and downloading every csv, no processing (the floor);
 * - a --full rebuild into an empty table, a --full rebuild over it, and a default rebuild of
 *   the unchanged bucket, each run as `make rebuild` runs it, with its peak memory.
 *
 *   node services/rebuild/dist/bench/rebuildSpeed.js [users=100000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createMinioClient, ensureBucket, loadSettings, rebuildSettings } from '@userpipe/shared';
import { createLimiter } from '../limiter';

const settings = loadSettings(rebuildSettings);
const users = Number(process.argv[2] ?? 100_000);
const bucket = 'bench-src';
const database = `${settings.POSTGRES_DB}_rebuild_bench`;
const CLI = path.resolve(__dirname, '../cli.js');
const minio = createMinioClient(settings);
const concurrency = settings.REBUILD_CONCURRENCY;

async function fillBucket(): Promise<void> {
  await ensureBucket(minio, bucket);
  let count = 0;
  for await (const item of minio.listObjectsV2(bucket, '', false)) if (item.name) count++;
  const wanted = users + users / 2;
  if (count === wanted) return;
  process.stdout.write(`uploading ${users} csv files and ${users / 2} pictures to ${bucket}... `);
  const started = performance.now();
  const limiter = createLimiter(32);
  for (let i = 0; i < users; i++) {
    const id = `b${String(i).padStart(7, '0')}`;
    const csv = Buffer.from(`first_name,last_name,birthts\nBench ${i},"User, ${i}",${Date.UTC(1930, 0, 1) + i * 1000}\n`);
    await limiter.schedule(async () => {
      await minio.putObject(bucket, `${id}.csv`, csv, csv.length);
      if (i % 2 === 0) await minio.putObject(bucket, `${id}.png`, Buffer.from('png'), 3);
    });
  }
  await limiter.idle();
  console.log(`${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function freshDatabase(): Promise<void> {
  const admin = new pg.Client({ host: settings.POSTGRES_HOST, port: settings.POSTGRES_PORT, user: settings.POSTGRES_USER, password: settings.POSTGRES_PASSWORD, database: settings.POSTGRES_DB });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
}

async function downloadEverything(): Promise<number> {
  const started = performance.now();
  const limiter = createLimiter(concurrency);
  let bytes = 0;
  for await (const item of minio.listObjectsV2(bucket, '', false)) {
    if (!item.name?.endsWith('.csv')) continue;
    const key = item.name;
    await limiter.schedule(async () => {
      for await (const chunk of await minio.getObject(bucket, key)) bytes += (chunk as Buffer).length;
    });
  }
  await limiter.idle();
  return performance.now() - started;
}

const peakProbe = path.join(mkdtempSync(path.join(tmpdir(), 'rebuild-bench-')), 'peak.js');
writeFileSync(peakProbe, `process.on('exit', () => process.stderr.write('PEAK_RSS_KB=' + process.resourceUsage().maxRSS + '\\n'));\n`);

function rebuild(args: string[]): { seconds: number; peakMb: number; summary: Record<string, unknown> } {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--require', peakProbe, CLI, ...args], {
    env: { ...process.env, POSTGRES_DB: database, SRC_BUCKET: bucket, RES_BUCKET: 'bench-res', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`rebuild ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  const peakKb = Number(/PEAK_RSS_KB=(\d+)/.exec(run.stderr)?.[1] ?? 0);
  return { seconds, peakMb: peakKb / 1024, summary: JSON.parse(run.stdout) as Record<string, unknown> };
}

async function main(): Promise<void> {
  await fillBucket();
  await freshDatabase();
  // The worker's migrations create the schema; the rebuild CLI expects it.
  const { migrate, createPool, createLogger } = await import('@userpipe/shared');
  const pool = createPool({ ...settings, POSTGRES_DB: database }, createLogger('bench', 'warn'));
  await migrate(pool);
  await pool.end();

  const download = await downloadEverything();
  console.log(`${users} users, ${users / 2} with a picture, concurrency ${concurrency}`);
  console.log(`list + download every csv, no processing:  ${(download / 1000).toFixed(1)} s`);
  const line = (what: string, r: ReturnType<typeof rebuild>) =>
    console.log(`${what} ${r.seconds.toFixed(1)} s  (x${(r.seconds / (download / 1000)).toFixed(2)} the download)  peak ${r.peakMb.toFixed(0)} MB  ` +
      `inserted ${r.summary.inserted} unchanged ${r.summary.unchanged} csv reads ${r.summary.csvReads}`);
  line('--full rebuild into an empty table:        ', rebuild(['--full']));
  line('--full rebuild over an unchanged bucket:   ', rebuild(['--full']));
  line('default rebuild over an unchanged bucket:  ', rebuild([]));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
