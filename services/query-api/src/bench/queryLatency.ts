/**
 * Benchmark of the query API on a table of a million users (default), in a database of its
 * own (`<POSTGRES_DB>_bench`, created and filled once, kept for later runs). Starts the built
 * API as a child process, as in production, and prints:
 * - the latency of filtered pages of 100 (median, p99), at the start and deep into the table;
 * - the time to stream the full unfiltered JSON next to `psql` COPYing the same rows out;
 * - the API's peak memory.
 *
 *   node services/query-api/dist/bench/queryLatency.js [users=1000000] [requests=300]
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { loadSettings, postgresSettings, queryApiSettings } from '@userpipe/shared';
import { benchDatabaseName, benchUserId, prepareBenchDatabase, processMemoryKb } from '@userpipe/shared/testing';

const settings = loadSettings(queryApiSettings);
// The owner's login, to fill the benchmark's database; the API itself logs in as the reader.
const owner = loadSettings(z.object(postgresSettings.shape));
const users = Number(process.argv[2] ?? 1_000_000);
const requests = Number(process.argv[3] ?? 300);
const database = benchDatabaseName(settings.POSTGRES_DB, users);
const MAIN = path.resolve(__dirname, '../main.js');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  await prepareBenchDatabase(owner, database, users, 'src');
  const port = 18080 + Math.floor(Math.random() * 1000);
  const api = spawn(process.execPath, [MAIN], { env: { ...process.env, POSTGRES_DB: database, API_PORT: String(port), API_HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: 'inherit' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/readyz`).catch(() => null))?.ok) break;
    if (i > 100) throw new Error('the API did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    const timed = async (url: string) => {
      const started = performance.now();
      const res = await fetch(`${base}${url}`);
      const body = await res.arrayBuffer();
      if (!res.ok) throw new Error(`${url}: ${res.status} ${Buffer.from(body).toString()}`);
      return { ms: performance.now() - started, bytes: body.byteLength, link: res.headers.get('link') };
    };

    const filtered: number[] = [];
    for (let i = 0; i < requests; i++) {
      const lo = 18 + (i % 40);
      filtered.push((await timed(`/data?min_age=${lo}&max_age=${lo + 10.5}&is_image_exists=${i % 2 ? 'true' : 'false'}&limit=100`)).ms);
    }
    filtered.sort((a, b) => a - b);
    console.log(`filtered page of 100, first page, ${requests} requests: median ${ms(pct(filtered, 50))}  p99 ${ms(pct(filtered, 99))}`);

    const deep: number[] = [];
    // A cursor is the user_id a page starts after: here, the user 99% into the table.
    const cursor = benchUserId(Math.floor(users * 0.99));
    for (let i = 0; i < requests; i++) deep.push((await timed(`/data?limit=100&min_age=${18 + (i % 40)}&cursor=${cursor}`)).ms);
    deep.sort((a, b) => a - b);
    console.log(`filtered page of 100, 99% into the table:          median ${ms(pct(deep, 50))}  p99 ${ms(pct(deep, 99))}`);

    const full = await timed('/data');
    console.log(`full unfiltered JSON stream: ${(full.ms / 1000).toFixed(2)} s, ${(full.bytes / 1e6).toFixed(0)} MB`);
    const csv = await timed('/data?format=csv');
    console.log(`full unfiltered CSV stream:  ${(csv.ms / 1000).toFixed(2)} s, ${(csv.bytes / 1e6).toFixed(0)} MB`);

    const started = performance.now();
    const copy = spawnSync('psql', ['-h', settings.POSTGRES_HOST, '-p', String(settings.POSTGRES_PORT), '-U', owner.POSTGRES_USER, '-d', database, '-qAt', '-c',
      `COPY (SELECT id, user_id, first_name, last_name, birthdate, img_path FROM users ORDER BY user_id) TO STDOUT WITH (FORMAT csv)`],
      { env: { ...process.env, PGPASSWORD: owner.POSTGRES_PASSWORD }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (copy.status !== 0) throw new Error('psql COPY failed');
    const copyMs = performance.now() - started;
    console.log(`psql COPY of the same rows:   ${(copyMs / 1000).toFixed(2)} s   (JSON stream / COPY = ${(full.ms / copyMs).toFixed(2)}, CSV stream / COPY = ${(csv.ms / copyMs).toFixed(2)})`);
    console.log(`query API peak memory (VmHWM): ${(processMemoryKb(api.pid!, 'VmHWM') / 1024).toFixed(0)} MB`);
  } finally {
    api.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
