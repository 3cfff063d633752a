/**
 * Benchmark: how fast the ingest worker drains a backlog. N users (half with a png, so 1.5 N
 * objects) are uploaded into a test stack of its own (own database, buckets, queue and logins;
 * shared/src/testing/testStack.ts) while no worker runs; MinIO's events pile up in the queue
 * (about two per object: the fast copy and the durable one). Then the worker, run as the process
 * it is in production (dist/main.js), drains them, timed from its start until the queue is empty
 * and Postgres holds every row with its picture; with 1 worker, 2, 2 and 1 again, each on a fresh
 * stack (DRAIN_WORKERS for other counts or orders).
 * Against it, the floor: the same MinIO client and concurrency (32) over the same bucket, for
 * every user a GET of its csv and a HEAD of its png, no database, no RabbitMQ; and beside it the
 * calls of a worker whose bucket has shown jpgs and jpegs, without the worker (all three looked
 * for in order of preference: three HEADs for a user without a picture). This bench's bucket
 * shows none, so its worker looks for the png alone (docs/design.md, "Pictures looked for").
 * Where the plan compares several workers with one, the floor's reads also run split over that
 * many fresh processes and over one (floorProcess.ts), alternated 1, n, n, 1 twice: what a second
 * process costs this machine for the same calls, the yardstick for two workers against one.
 * Prints users/s, the ratio to both, the workers' peak RSS and their CPU time per user (beside
 * the floor client's), and where the machine's cores went during
 * each drain and floor (MinIO's, RabbitMQ's and Postgres's CPU per user, from /proc: run it with
 * no other stack busy); asserts nothing.
 *
 *   node services/ingest-worker/dist/bench/drain.js [users=8000]
 *
 * The services are those of TEST_POSTGRES_URL, TEST_AMQP_URL and TEST_MINIO_URL when set, else
 * infra/local's (started if need be). The worker's tuning (WORKER_PREFETCH, WORKER_BATCH_SIZE, WORKER_BATCH_WAIT_MS, WORKER_READ_CONCURRENCY,
 * POSTGRES_POOL_SIZE, EXPORT_*) comes from the environment (.env under infra/local/run.sh), else
 * the defaults. WORKER_NODE_OPTIONS are every worker's NODE_OPTIONS, as in production: set it to
 * try other Node options (GC settings, say, or --cpu-prof --cpu-prof-dir=.local/profiles, with
 * the options it holds in .env kept or not). DRAIN_NODE_ARGS go on every worker's command line,
 * for the V8 flags NODE_OPTIONS refuses (DRAIN_NODE_ARGS=--heap-growing-percent=100, say:
 * docs/scaling.md). DRAIN_CPU_PROF=1 profiles only the first 1-worker drain, with --cpu-prof into
 * .local/profiles, and names the profile it wrote. DRAIN_LOGS=<dir> runs the workers at info
 * level and writes each one's log there (d1-1w-1.log, d2-2w-1.log, d2-2w-2.log): a line per batch and
 * per output.csv export, to see where a drain's time went. DRAIN_WORKER_CPUS=0.5 holds each
 * worker to half a core, in a cgroup of its own (as root), as a container's CPU limit would:
 * one worker against two where the workers, not the machine's two cores, are the limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createMinioClient, mapWithConcurrency, workerSettings, type WorkerSettings } from '@userpipe/shared';
import {
  asEnv,
  endpointsFromEnvironment,
  machineBusyMs,
  procStat,
  processCpuMs,
  processMemoryKb,
  publishEndpoints,
  statCpuMs,
  statName,
  TestStack,
  type ServiceEndpoints,
} from '@userpipe/shared/testing';
import { createCpuQuota } from './cpuQuota';
import { floorReads, userId } from './floorReads';

const users = Number(process.argv[2] ?? 8000);
const CONCURRENCY = 32;
const ROOT = path.resolve(__dirname, '../../../..');
const MAIN = path.resolve(__dirname, '../main.js');
const FLOOR_PROCESS = path.resolve(__dirname, 'floorProcess.js');
const PROFILE_DIR = path.join(ROOT, '.local/profiles');
const cpuProfile = process.env.DRAIN_CPU_PROF === '1';
/** Node arguments for every worker, before its entry point: flags NODE_OPTIONS does not allow. */
const extraNodeArgs = (process.env.DRAIN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
/** DRAIN_WORKER_CPUS: each worker held to this many cores, as a container's CPU limit would (bench/cpuQuota.ts); unset, no limit. */
const workerCpus = workerCpusSetting(process.env.DRAIN_WORKER_CPUS);
/**
 * DRAIN_WORKERS: the drains, in turn, by their number of workers, each on a fresh stack. Two
 * drains of the same code differ by up to a tenth on this shared machine: so by default
 * '1,2,2,1', which averages two drains of each count and lets neither always run first or
 * second (the old default '1,2' always ran two workers second, on the later stack); '1,1'
 * shows how far the same drain moves; '1' is the quickest look.
 */
const plan = drainPlan(process.env.DRAIN_WORKERS ?? '1,2,2,1');
/** MinIO's durable target delivers from disk on a 3-second poll: the queue is complete once it stops growing for longer. */
const STABLE_MS = 4000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const withPicture = (i: number) => i % 2 === 0;
const pictures = Math.ceil(users / 2);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (ms: number) => users / (ms / 1000);
/** The first 16 bytes of a PNG (signature, IHDR header): the worker only looks for the key. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function drainPlan(text: string): number[] {
  const counts = text.split(',').map((part) => Number(part.trim()));
  if (!counts.length || counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`DRAIN_WORKERS must list numbers of workers, as in 1,2 or 1,2,2,1: got '${text}'`);
  }
  return counts;
}

function workerCpusSetting(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const cpus = Number(text);
  if (!(cpus > 0)) throw new Error(`DRAIN_WORKER_CPUS must be a positive number of cores, as in 0.5: got '${text}'`);
  return cpus;
}

/** As the integration tests find them (shared/src/testing/globalSetup.ts), without Docker. */
function findServices(): ServiceEndpoints {
  const fromEnv = endpointsFromEnvironment();
  if (fromEnv) return fromEnv;
  // startLocalServices is not exported from @userpipe/shared/testing (it is the jest global setup's); load it from beside it.
  const testingDir = path.dirname(require.resolve('@userpipe/shared/testing'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
  const { startLocalServices } = require(path.join(testingDir, 'localServices.js')) as { startLocalServices: () => ServiceEndpoints };
  return startLocalServices();
}

/** The worker's tuning as it runs in production: from the environment, else the defaults (not the test stack's). */
function tuning(): Partial<Record<keyof WorkerSettings, string>> {
  const keys = ['WORKER_PREFETCH', 'WORKER_BATCH_SIZE', 'WORKER_BATCH_WAIT_MS', 'WORKER_READ_CONCURRENCY', 'POSTGRES_POOL_SIZE', 'EXPORT_DEBOUNCE_MS', 'EXPORT_MAX_DELAY_MS', 'USER_FILE_MAX_BYTES', 'WORKER_MAX_ATTEMPTS'] as const;
  return Object.fromEntries(keys.map((k) => [k, process.env[k] ?? String(workerSettings.shape[k].parse(undefined))]));
}

/**
 * A stack with its schema and its queue bound to MinIO's exchange, so no event is dropped, and no
 * worker. The queue starts empty: every queue bound there gets every bucket's events, and MinIO's
 * durable target may still be sending earlier stacks' (a removed bucket's objects, say) for a
 * while, which the drain would otherwise count as its own work. So it waits until no such event
 * has come for STABLE_MS and purges what came.
 */
async function freshStack(): Promise<TestStack> {
  const stack = await TestStack.create();
  await stack.migrate();
  const channel = await stack.channel();
  await stack.topology.declare(channel);
  const { count } = await untilStable(stack, 0);
  if (count > 0) {
    await channel.purgeQueue(stack.queue);
    console.log(`  (purged ${count} events of other buckets that reached the new queue before the upload)`);
  }
  return stack;
}

/** Waits until the queue's message count has not moved for STABLE_MS (5 times as long while it is below `expected`); returns it, and when it last moved. */
async function untilStable(stack: TestStack, expected: number): Promise<{ count: number; changedAt: number }> {
  const started = performance.now();
  let count = -1;
  let changed = started;
  for (;;) {
    const now = await stack.messageCount(stack.queue);
    if (now !== count) {
      count = now;
      changed = performance.now();
    } else if (performance.now() - changed >= (count >= expected ? STABLE_MS : 5 * STABLE_MS)) break;
    if (performance.now() - started > 600_000) throw new Error(`the queue did not settle within 10 minutes (${count} messages)`);
    await sleep(250);
  }
  return { count, changedAt: changed };
}

/** Uploads the users and waits for their events; returns how many messages the queue holds. */
async function upload(stack: TestStack): Promise<number> {
  const started = performance.now();
  const ids = Array.from({ length: users }, (_, i) => i);
  await mapWithConcurrency(ids, CONCURRENCY, async (i) => {
    const id = userId(i);
    await stack.put(`${id}.csv`, `first_name,last_name,birthts\nDrain ${i},User ${i},${Date.UTC(1950, 0, 1) + i * 86_400_000}\n`);
    if (withPicture(i)) await stack.put(`${id}.png`, PNG);
  });
  const took = performance.now() - started;
  process.stdout.write(`  uploaded ${users} csv + ${pictures} png (${users + pictures} objects) in ${seconds(took)}, concurrency ${CONCURRENCY}; `);

  // Wait for the durable copies: until the count has not moved for STABLE_MS (longer while it is
  // short of two per object, in case MinIO's disk queue pauses).
  const expected = 2 * (users + pictures);
  const { count, changedAt } = await untilStable(stack, expected);
  console.log(`queue ${stack.queue}: ${count} messages (${(count / (users + pictures)).toFixed(2)} per object), stable after ${seconds(changedAt - started)} from the upload's start`);
  // Every queue bound to MinIO's exchange gets every bucket's events: other stacks' (tests running meanwhile) land here too.
  if (count > expected) console.log(`  of which about ${count - expected} are other buckets' events (tests running meanwhile?); the worker ignores them`);
  if (count < expected) console.log(`  ${expected - count} fewer than two per object: events were lost or are still on MinIO's disk queue`);
  return count;
}

interface Worker {
  child: ChildProcess;
  peakKb: number;
  /** The last 64 KB it printed, stdout and stderr together. */
  tail(): string;
  printed: number;
  exited: Promise<number | null>;
}

/** The worker and floor processes still running: a bench stopped by a signal stops them too, or the workers live on, each draining its queue. */
const running = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // It waits for them to exit: each one's cgroup (DRAIN_WORKER_CPUS) is removed only then.
    const exited = [...running].map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of running) child.kill('SIGTERM');
    setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), 10_000).unref();
    // The stack's queues are left; the local RabbitMQ deletes them after an hour unused (infra/local/rabbitmq.sh).
    void Promise.all(exited).then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

/** DRAIN_LOGS: where the workers' logs go, at info level (else only warnings, kept in memory). */
const logDir = process.env.DRAIN_LOGS;
if (logDir) mkdirSync(logDir, { recursive: true });

function startWorkerProcess(stack: TestStack, nodeArgs: string[], name: string): Worker {
  const settings = stack.settings({ ...tuning(), WORKER_HTTP_PORT: '0', LOG_LEVEL: logDir ? 'info' : 'warn' });
  // As in production: its Node options from WORKER_NODE_OPTIONS (infra/local/processes.sh,
  // docker-compose.yml), and two malloc arenas (infra/docker/node-service.Dockerfile says why;
  // DRAIN_MALLOC_ARENA_MAX= to try without).
  const env = {
    PATH: process.env.PATH,
    NODE_OPTIONS: process.env.WORKER_NODE_OPTIONS ?? '',
    MALLOC_ARENA_MAX: process.env.DRAIN_MALLOC_ARENA_MAX ?? '2',
    ...asEnv(settings),
  };
  const args = [...extraNodeArgs, ...nodeArgs, MAIN];
  const quota = workerCpus === undefined ? undefined : createCpuQuota(`userpipe-drain-${process.pid}-${name}`, workerCpus, 'DRAIN_WORKER_CPUS');
  const [command, commandArgs] = quota ? quota.command(process.execPath, args) : [process.execPath, args];
  const child = spawn(command, commandArgs, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  running.add(child);
  child.on('exit', () => {
    running.delete(child);
    quota?.remove();
  });
  let output = '';
  const worker: Worker = {
    child,
    peakKb: 0,
    printed: 0,
    tail: () => output,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  // Both outputs go to one file, so neither may end it: it ends once the child's outputs have closed.
  const file = logDir ? createWriteStream(path.join(logDir, `${name}.log`)) : undefined;
  if (file) child.on('close', () => file.end());
  const collect = (d: Buffer) => {
    const text = d.toString();
    worker.printed += (text.match(/\n/g) ?? []).length;
    output = (output + text).slice(-65_536);
    file?.write(d);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return worker;
}

/** The services the drain shares the machine with, by their processes' names in /proc. */
const SERVICES = { MinIO: ['minio'], RabbitMQ: ['beam.smp', 'erl_child_setup', 'epmd'], Postgres: ['postgres'] } as const;
type ServiceName = keyof typeof SERVICES;

/**
 * CPU time each service's processes have used so far, in ms (every process of that name on the
 * machine: run it with other stacks down). With the machine's busy time from /proc/stat, it
 * says where the cores went during the drain, the services' share included.
 */
function serviceCpuMs(): Record<ServiceName | 'machine', number> {
  const totals: Record<ServiceName | 'machine', number> = { MinIO: 0, RabbitMQ: 0, Postgres: 0, machine: 0 };
  for (const entry of readdirSync('/proc')) {
    const stat = /^\d+$/.test(entry) ? procStat(entry) : null;
    if (stat === null) continue;
    const comm = statName(stat);
    for (const [name, comms] of Object.entries(SERVICES) as [ServiceName, readonly string[]][]) {
      if (comms.includes(comm)) totals[name] += statCpuMs(stat);
    }
  }
  totals.machine = machineBusyMs();
  return totals;
}

async function stopWorker(worker: Worker): Promise<number | null> {
  worker.child.kill('SIGTERM');
  const killer = setTimeout(() => worker.child.kill('SIGKILL'), 30_000);
  const code = await worker.exited;
  clearTimeout(killer);
  return code;
}

interface DrainResult {
  ms: number;
  firstRowMs: number;
  /** CPU each worker had used when the first row appeared, on average: its start-up and first batch. */
  firstRowCpuMs: number;
  peaksMb: number[];
  /** CPU the workers used, all together, per user drained (their start-up included). */
  cpuMsPerUser: number;
  /** CPU each service, and the whole machine, used per user over the drain. */
  servicesMsPerUser: Record<ServiceName | 'machine', number>;
}

async function drain(stack: TestStack, workers: number, logPrefix: string, nodeArgs: string[]): Promise<DrainResult> {
  const started = performance.now();
  const servicesBefore = serviceCpuMs();
  const running = Array.from({ length: workers }, (_, i) => startWorkerProcess(stack, nodeArgs, `${logPrefix}${workers}w-${i + 1}`));
  const sampler = setInterval(() => {
    for (const w of running) if (w.child.pid) w.peakKb = Math.max(w.peakKb, processMemoryKb(w.child.pid, 'VmRSS'));
  }, 100);
  let firstRowMs = 0;
  let firstRowCpuMs = 0;
  let last = { rows: 0, pictures: 0, queued: -1 };
  try {
    for (;;) {
      for (const w of running) {
        if (w.child.exitCode !== null) throw new Error(`a worker exited (${w.child.exitCode}) during the drain:\n${w.tail()}`);
      }
      const queued = await stack.messageCount(stack.queue);
      // Counting the rows 20 times a second would cost Postgres a share of the drain's CPU of its
      // own: they are counted once the queue is empty, and until then only looked for.
      if (!firstRowMs && (await stack.db.query('SELECT 1 FROM users LIMIT 1')).rowCount) {
        firstRowMs = performance.now() - started;
        firstRowCpuMs = workersCpuMs(running) / workers;
      }
      if (queued === 0) {
        const { rows } = await stack.db.query<{ rows: number; pictures: number }>(
          `SELECT count(*)::int AS rows, count(*) FILTER (WHERE img_path LIKE '%.png')::int AS pictures FROM users`,
        );
        last = { ...rows[0]!, queued };
        if (last.rows === users && last.pictures === pictures) break;
      } else last = { ...last, queued };
      if (performance.now() - started > 600_000) throw new Error(`no complete drain within 10 minutes: ${JSON.stringify(last)}`);
      await sleep(50);
    }
  } catch (err) {
    clearInterval(sampler);
    await Promise.all(running.map(stopWorker));
    throw err;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  for (const w of running) if (w.child.pid) w.peakKb = Math.max(w.peakKb, processMemoryKb(w.child.pid, 'VmHWM'));
  const cpuMsPerUser = workersCpuMs(running) / users;
  const servicesAfter = serviceCpuMs();
  const servicesMsPerUser = Object.fromEntries(
    Object.entries(servicesAfter).map(([name, ms]) => [name, (ms - servicesBefore[name as ServiceName | 'machine']) / users]),
  ) as DrainResult['servicesMsPerUser'];
  const codes = await Promise.all(running.map(stopWorker));
  running.forEach((w, i) => {
    // At info level (DRAIN_LOGS) printing is normal: the log is in its file.
    if (codes[i] !== 0 || (w.printed > 0 && !logDir)) {
      console.log(`  worker ${i + 1} exited with ${codes[i]} and printed ${w.printed} lines (LOG_LEVEL=${logDir ? 'info' : 'warn'}); its last output:\n${w.tail().split('\n').slice(-20).join('\n')}`);
    }
  });
  return { ms, firstRowMs, firstRowCpuMs, peaksMb: running.map((w) => w.peakKb / 1024), cpuMsPerUser, servicesMsPerUser };
}

function workersCpuMs(workers: Worker[]): number {
  return workers.reduce((sum, w) => sum + (w.child.pid ? processCpuMs(w.child.pid) : 0), 0);
}

/** What else the drain left behind: parked or waiting messages, rejected files, output.csv's rows. */
async function leftovers(stack: TestStack): Promise<string> {
  const t = stack.topology;
  const dead = await stack.messageCount(t.deadLetterQueue);
  let retrying = 0;
  for (const q of t.retryQueues) retrying += await stack.messageCount(q.name);
  const { rows } = await stack.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rejected_files');
  const output = await stack.outputCsv();
  const outputRows = output === null ? 'missing' : String(output.split('\n').filter(Boolean).length - 1);
  return `dead-lettered ${dead}, in retry queues ${retrying}, rejected files ${rows[0]!.n}, output.csv rows ${outputRows}`;
}

interface FloorResult {
  ms: number;
  cpuMsPerUser: number;
  minioMsPerUser: number;
}

/** The floor (floorReads.ts) in this process, over a drained stack's bucket. */
async function floor(stack: TestStack, lookFor: 'png' | 'preferred'): Promise<FloorResult> {
  const minio = createMinioClient(stack.settings());
  const ids = Array.from({ length: users }, (_, i) => userId(i));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const minioBefore = serviceCpuMs().MinIO;
  const found = await floorReads(minio, stack.srcBucket, ids, CONCURRENCY, lookFor);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const minioMsPerUser = (serviceCpuMs().MinIO - minioBefore) / users;
  if (found !== pictures) console.log(`  (the floor found ${found} png, expected ${pictures})`);
  return { ms, cpuMsPerUser: (cpu.user + cpu.system) / 1000 / users, minioMsPerUser };
}

/**
 * The floor's reads (the png) split over `processes` fresh processes (floorProcess.ts), each
 * taking its share of the users at the floor's concurrency, as each worker reads at its own.
 * Timed from when every one is ready, so their start-up is left out. One process against
 * several says what a second process costs this machine for the same calls, nothing of ours
 * around them: the yardstick for several workers against one.
 */
async function processFloor(stack: TestStack, processes: number): Promise<FloorResult> {
  const env = { PATH: process.env.PATH, ...asEnv(stack.settings()) };
  const children = Array.from({ length: processes }, (_, k) => {
    const [from, to] = [Math.floor((k * users) / processes), Math.floor(((k + 1) * users) / processes)];
    const child = spawn(process.execPath, [FLOOR_PROCESS, String(from), String(to), String(CONCURRENCY)], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    running.add(child);
    child.on('exit', () => running.delete(child));
    return { child, lines: readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
  });
  const nextLine = async (c: (typeof children)[number]) => {
    const line = await c.lines.next();
    if (line.done) {
      const code = c.child.exitCode ?? ((await once(c.child, 'exit')) as [number | null])[0];
      throw new Error(`a floor process exited (${code}) before it said what it did`);
    }
    return line.value;
  };
  await Promise.all(children.map(nextLine));
  const started = performance.now();
  const minioBefore = serviceCpuMs().MinIO;
  for (const c of children) c.child.stdin.end('go\n');
  const reports = (await Promise.all(children.map(nextLine))).map((line) => JSON.parse(line) as { found: number; cpuMs: number });
  const ms = performance.now() - started;
  const minioMsPerUser = (serviceCpuMs().MinIO - minioBefore) / users;
  const found = reports.reduce((sum, r) => sum + r.found, 0);
  if (found !== pictures) console.log(`  (the floor's ${processes} processes found ${found} png, expected ${pictures})`);
  return { ms, cpuMsPerUser: reports.reduce((sum, r) => sum + r.cpuMs, 0) / users, minioMsPerUser };
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  // A quota that cannot be set fails here, not after the first upload.
  if (workerCpus !== undefined) createCpuQuota(`userpipe-drain-${process.pid}-probe`, workerCpus, 'DRAIN_WORKER_CPUS').remove();
  publishEndpoints(findServices());
  const t = tuning();
  console.log(
    `drain of a backlog: ${users} users, ${pictures} with a png; drains with ${plan.join(', ')} workers; ${workerCpus === undefined ? '' : `each worker held to ${workerCpus} of a core (DRAIN_WORKER_CPUS), `}WORKER_NODE_OPTIONS '${process.env.WORKER_NODE_OPTIONS ?? ''}', ${extraNodeArgs.length ? `DRAIN_NODE_ARGS '${extraNodeArgs.join(' ')}', ` : ''}WORKER_PREFETCH ${t.WORKER_PREFETCH}, WORKER_BATCH_SIZE ${t.WORKER_BATCH_SIZE}, WORKER_BATCH_WAIT_MS ${t.WORKER_BATCH_WAIT_MS}, WORKER_READ_CONCURRENCY ${t.WORKER_READ_CONCURRENCY}, ` +
      `POSTGRES_POOL_SIZE ${t.POSTGRES_POOL_SIZE}`,
  );

  const runs: { workers: number; result: DrainResult }[] = [];
  let floors: Floors | undefined;
  for (const [index, workers] of plan.entries()) {
    // A fresh stack each time: the one before is gone, so its removals reach no queue of ours.
    const stack = await freshStack();
    try {
      console.log(`drain ${index + 1}, ${workersLabel(workers)} (stack ${stack.id}):`);
      const messages = await upload(stack);
      const profiled = cpuProfile && workers === 1 && !runs.some((r) => r.workers === 1);
      const nodeArgs = profiled ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
      if (profiled) mkdirSync(PROFILE_DIR, { recursive: true });
      const before = profiled ? new Set(readdirSync(PROFILE_DIR)) : new Set<string>();
      const result = await drain(stack, workers, `d${index + 1}-`, nodeArgs);
      runs.push({ workers, result });
      console.log(
        `  drained in ${seconds(result.ms)} (first row after ${seconds(result.firstRowMs)}, when each worker had used ${result.firstRowCpuMs.toFixed(0)} ms of CPU): ` +
          `${rate(result.ms).toFixed(0)} users/s, ${(messages / (result.ms / 1000)).toFixed(0)} messages/s, ` +
          `peak RSS ${result.peaksMb.map((mb) => `${mb.toFixed(0)} MB`).join(' and ')}, CPU ${result.cpuMsPerUser.toFixed(2)} ms per user${workers > 1 ? ' (all together)' : ''}`,
      );
      console.log(`  ${await leftovers(stack)}`);
      if (profiled) {
        const written = readdirSync(PROFILE_DIR).filter((f) => !before.has(f));
        console.log(`  CPU profile: ${written.map((f) => path.join(PROFILE_DIR, f)).join(', ') || 'none written'}`);
      }
      // The floors once, over the first drain's bucket.
      floors ??= await measureFloors(stack);
    } finally {
      await stack.dispose();
    }
  }
  if (!floors) throw new Error('no drain ran');
  const floorRate = rate(floors.png.ms);
  const ownRate = rate(floors.preferred.ms);

  console.log(`summary (${users} users, time from the workers' start, their start-up included):`);
  for (const [index, { workers, result }] of runs.entries()) {
    console.log(
      `  ${`drain ${index + 1}, ${workersLabel(workers)}`.padEnd(20)} ${rate(result.ms).toFixed(0).padStart(6)} users/s  ${(rate(result.ms) / floorRate).toFixed(2)}x floor  ${(rate(result.ms) / ownRate).toFixed(2)}x own calls  ` +
        `peak RSS ${result.peaksMb.map((mb) => `${mb.toFixed(0)} MB`).join(' + ')}  CPU ${result.cpuMsPerUser.toFixed(2)} ms/user\n` +
        `             CPU per user during it: ${Object.entries(result.servicesMsPerUser).map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`).join(', ')} ` +
        `(the machine: ${(result.servicesMsPerUser.machine * rate(result.ms) / 10).toFixed(0)}% of one core busy on average)`,
    );
  }
  console.log(`  floor      ${floorRate.toFixed(0).padStart(6)} users/s (GET csv + HEAD png; MinIO ${floors.png.minioMsPerUser.toFixed(2)} ms of CPU per user)`);
  console.log(`  own calls  ${ownRate.toFixed(0).padStart(6)} users/s (GET csv + HEADs png, then jpg and jpeg: a worker's reads once both were seen; MinIO ${floors.preferred.minioMsPerUser.toFixed(2)} ms)`);
  // Several workers against one, the drains of each count averaged (their users/s).
  const meanRate = (workers: number) => {
    const rates = runs.filter((r) => r.workers === workers).map((r) => rate(r.result.ms));
    return rates.reduce((a, b) => a + b, 0) / rates.length;
  };
  for (const [workers, processes] of floors.processes) {
    console.log(
      `  ${workersLabel(workers)} against 1 worker: ${(meanRate(workers) / meanRate(1)).toFixed(2)}x (users/s, averaged over the drains of each); ` +
        `the floor's reads in ${workers} processes against 1: ${processes.toFixed(2)}x`,
    );
  }
  console.log(`bench took ${seconds(performance.now() - benchStarted)}`);
}

function workersLabel(workers: number): string {
  return workers === 1 ? '1 worker' : `${workers} workers`;
}

interface Floors {
  png: FloorResult;
  preferred: FloorResult;
  /** For each count of workers above 1 that the plan compares with 1: the floor's reads in that many processes against 1. */
  processes: Map<number, number>;
}

/** The floors over a drained stack's bucket, printed as they come. */
async function measureFloors(stack: TestStack): Promise<Floors> {
  const measured = async (what: string, measure: () => Promise<FloorResult>) => {
    const r = await measure();
    console.log(`${what}: ${seconds(r.ms)}, ${rate(r.ms).toFixed(0)} users/s, client CPU ${r.cpuMsPerUser.toFixed(2)} ms per user, MinIO ${r.minioMsPerUser.toFixed(2)} ms`);
    return r;
  };
  const png = await measured(`floor over the same bucket (GET csv + HEAD png per user, minio-js, concurrency ${CONCURRENCY})`, () => floor(stack, 'png'));
  const preferred = await measured("a worker's calls once jpgs and jpegs were seen, over the same bucket (GET csv + HEADs png, then jpg and jpeg, per user)", () => floor(stack, 'preferred'));
  const processes = new Map<number, number>();
  const several = plan.includes(1) ? [...new Set(plan)].filter((n) => n > 1).sort((a, b) => a - b) : [];
  for (const n of several) {
    // 1, n, n and 1 processes, as the drains alternate, so that neither count always goes first;
    // twice, as one such reading is a few seconds long and moves with the machine's load.
    const rates = new Map<number, number[]>([[1, []], [n, []]]);
    for (const count of [1, n, n, 1, 1, n, n, 1]) {
      const r = await measured(`the floor's reads in ${count} fresh process${count > 1 ? 'es' : ''}, concurrency ${CONCURRENCY} each, start-up not timed`, () => processFloor(stack, count));
      rates.get(count)!.push(rate(r.ms));
    }
    const mean = (count: number) => rates.get(count)!.reduce((a, b) => a + b, 0) / rates.get(count)!.length;
    processes.set(n, mean(n) / mean(1));
  }
  return { png, preferred, processes };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
