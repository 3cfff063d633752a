/**
 * Benchmark: time from an upload to its row being in Postgres, against the running stack
 * (`make up`), over many uploads one after another. Prints the distribution; asserts nothing.
 *
 *   node services/ingest-worker/dist/bench/uploadToRow.js [uploads=300]
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createLogger, createMinioClient, createPool, loadSettings, minioSettings, postgresSettings } from '@userpipe/shared';

const settings = loadSettings(z.object({ ...postgresSettings.shape, ...minioSettings.shape }));
const uploads = Number(process.argv[2] ?? 300);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const pool = createPool({ ...settings, POSTGRES_POOL_SIZE: 2 }, createLogger('bench', 'warn'));
  const minio = createMinioClient(settings);
  const run = randomBytes(3).toString('hex');
  const latencies: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < uploads; i++) {
    const userId = `bench-${run}-${i}`;
    ids.push(userId);
    const body = Buffer.from(`first_name,last_name,birthts\nBench,User ${i},${Date.UTC(1990, 0, 1) + i}\n`);
    const started = performance.now();
    await minio.putObject(settings.SRC_BUCKET, `${userId}.csv`, body, body.length);
    for (;;) {
      const { rowCount } = await pool.query('SELECT 1 FROM users WHERE user_id = $1', [userId]);
      if (rowCount) break;
      if (performance.now() - started > 30_000) throw new Error(`${userId} did not arrive within 30 s: is the worker running (make up)?`);
      await new Promise((r) => setTimeout(r, 1));
    }
    latencies.push(performance.now() - started);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`upload -> row in Postgres, ${uploads} sequential uploads of one-row csv files`);
  console.log(`  median ${fmt(percentile(sorted, 50))}   p90 ${fmt(percentile(sorted, 90))}   p99 ${fmt(percentile(sorted, 99))}   max ${fmt(sorted.at(-1)!)}   min ${fmt(sorted[0]!)}`);

  // Leave the bucket as it was: the worker deletes the rows when it sees the removals.
  await minio.removeObjects(settings.SRC_BUCKET, ids.map((id) => `${id}.csv`));
  await pool.end();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
