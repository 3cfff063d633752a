/**
 * One process of the drain bench's floor over several processes (drain.ts): the floor's reads
 * (floorReads.ts, the png) for the users `from` to `to`, with the worker's settings from the
 * environment. It prints `ready` once its client is made, starts on a line from its standard
 * input, so that the processes start together and their start-up is not timed, and prints what
 * it did as one line of JSON: `{"found":..,"cpuMs":..}`, its CPU from the start of the reads.
 *
 *   node services/ingest-worker/dist/bench/floorProcess.js <from> <to> <concurrency>
 */
import { once } from 'node:events';
import { createMinioClient, loadSettings, workerSettings } from '@userpipe/shared';
import { floorReads, userId } from './floorReads';

async function main(): Promise<void> {
  const [from, to, concurrency] = process.argv.slice(2, 5).map(Number) as [number, number, number];
  const settings = loadSettings(workerSettings);
  const minio = createMinioClient(settings);
  const ids = Array.from({ length: to - from }, (_, k) => userId(from + k));
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  const cpuBefore = process.cpuUsage();
  const found = await floorReads(minio, settings.SRC_BUCKET, ids, concurrency, 'png');
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`${JSON.stringify({ found, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
