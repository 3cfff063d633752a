/**
 * `make test-cluster`: the node-loss test of issue 12. A storm of uploads, updates and deletes
 * from several clients through MinIO's load balancer; mid-storm the RabbitMQ node leading the
 * ingest queue and one MinIO node are SIGKILLed, then brought back; at the end the bucket must
 * hold what MinIO acknowledged, and Postgres, GET /data and output.csv must equal the oracle
 * computed from the bucket, with nothing dead-lettered. Reports the time to converge and the
 * longest stall in processing. Exits 1 when any check of any run fails.
 *
 *   TOPOLOGY=cluster infra/local/run.sh node services/node-loss/dist/main.js [users] [--runs n] [--no-faults] ...
 */
import pg from 'pg';
import { amqpUrls, connectionOptions, createMinioClient, ingestQueues, RabbitmqNodes } from '@userpipe/shared';
import { isNoOpDelete, keyHistories, writeAttempts, type Attempt } from './attemptLog';
import type { CheckContext } from './checks';
import { ClusterControl } from './clusterControl';
import { awaitConvergence } from './converge';
import { FaultInjector } from './faults';
import { recheckBuckets, type RunLedger } from './laterCheck';
import { AckLedger } from './ledger';
import { parseOptions, type Options } from './options';
import { countByWhat, stormPlan } from './plan';
import { liveProbes } from './probes';
import { RabbitAdmin } from './rabbitAdmin';
import { formatRun, groupFailures, passed, verdict, type RunSummary } from './report';
import { ProgressSampler } from './sampler';
import { localUrl, readSettings, type NodeLossSettings } from './settings';
import { longestStall, stalls } from './stall';
import { runStorm } from './storm';
import { stormStore } from './stormClient';
import { writeSamples } from './samplesFile';
import { Timeline } from './timeline';

/** Set while nodes may be down, so an interrupted run still brings them back. */
let activeInjector: FaultInjector | undefined;

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const settings = readSettings();
  if (options.faults && !ClusterControl.available())
    throw new Error('infra/local/cluster.sh does not exist: run against the clustered stack (make test-cluster), or pass --no-faults against the single-node one');

  const rabbit = new RabbitAdmin(new RabbitmqNodes(amqpUrls(settings), 2000));
  // Bigint (the write sequence, birthts) as numbers; a probe never waits on a dead connection for long.
  const pgOptions = { ...connectionOptions(settings), connectionTimeoutMillis: 5000, statement_timeout: 30_000 };
  const checkPool = new pg.Pool({ ...pgOptions, max: 4 });
  const probePool = new pg.Pool({ ...pgOptions, max: 1, statement_timeout: 2000 });
  for (const pool of [checkPool, probePool]) pool.on('error', () => undefined);
  const apiBase = localUrl(settings.API_HOST, settings.API_PORT);
  const workerBase = localUrl(settings.WORKER_HTTP_HOST, settings.WORKER_HTTP_PORT);

  try {
    await preflight(apiBase, workerBase);
    console.log(
      `node-loss: ${options.runs} run(s) of ${options.users} users, ${options.clients} clients at ${options.rate || 'unpaced'} ops/s; ` +
        `MinIO ${settings.MINIO_HOST}:${settings.MINIO_PORT}, RabbitMQ ${settings.RABBITMQ_HOST}, ` +
        `Postgres ${settings.POSTGRES_HOST}:${settings.POSTGRES_PORT}; faults ${options.faults ? 'on' : 'off'}`,
    );
    const summaries: RunSummary[] = [];
    const ledgers: RunLedger[] = [];
    for (let run = 1; run <= options.runs; run++) {
      const { summary, ledger, attempts } = await runOnce(run, options, settings, { rabbit, checkPool, probePool, apiBase, workerBase });
      summaries.push(summary);
      ledgers.push({ run, prefix: summary.prefix, ledger, attempts, origin: summary.stormStartedAt });
      console.log(formatRun(summary).join('\n'));
    }
    const later = await recheckBuckets(createMinioClient(settings), settings.SRC_BUCKET, ledgers, (r, keys) => [
      `    what run ${r.run}'s storm sent for each (times from its start):`,
      ...keyHistories(r.attempts, keys, r.origin),
    ]);
    console.log(['node-loss, after the last run:', ...later.lines].join('\n'));
    if (options.runs > 1) console.log(verdict('node-loss', summaries));
    return summaries.every(passed) && later.ok ? 0 : 1;
  } finally {
    await rabbit.close();
    await Promise.all([checkPool.end(), probePool.end()]);
  }
}

/** Our processes must answer before a storm is worth starting: a run against a missing worker would only time out. */
async function preflight(apiBase: string, workerBase: string): Promise<void> {
  const problems: string[] = [];
  for (const [name, url] of [
    ['query API', `${apiBase}/healthz`],
    ['ingest worker', `${workerBase}/healthz`],
  ] as const) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) problems.push(`${name} at ${url}: ${res.status}`);
    } catch (err) {
      problems.push(`${name} at ${url}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`our processes do not answer (make status; logs in .local/logs or .local/cluster/logs):\n  ${problems.join('\n  ')}`);
}

async function runOnce(
  run: number,
  options: Options,
  settings: NodeLossSettings,
  io: { rabbit: RabbitAdmin; checkPool: pg.Pool; probePool: pg.Pool; apiBase: string; workerBase: string },
): Promise<{ summary: RunSummary; ledger: AckLedger; attempts: Attempt[] }> {
  // Each run its own users: ids no other run or person uses, so nothing needs clearing first.
  const prefix = `nl${Date.now().toString(36)}r${run}-`;
  const topology = ingestQueues(settings.INGEST_QUEUE, settings.WORKER_RETRY_DELAYS_MS);
  const ctx: CheckContext = {
    minio: createMinioClient(settings),
    srcBucket: settings.SRC_BUCKET,
    resBucket: settings.RES_BUCKET,
    outputKey: settings.OUTPUT_KEY,
    pool: io.checkPool,
    apiBase: io.apiBase,
    rabbit: io.rabbit,
    deadLetterQueue: topology.deadLetterQueue,
    prefix,
  };
  const deadLettersBefore = await io.rabbit.depth(topology.deadLetterQueue, 5000);
  const plan = stormPlan({ users: options.users, prefix, clients: options.clients, seed: options.seed + run, now: Date.now() });
  const ledger = new AckLedger();
  const attempts: Attempt[] = [];
  const timeline = new Timeline();
  let behind = false;
  const sampler = new ProgressSampler(liveProbes({ metricsUrl: `${io.workerBase}/metrics`, pool: io.probePool, rabbit: io.rabbit, queue: settings.INGEST_QUEUE }), {
    lastAckAt: () => ledger.lastAckAt,
    behind: () => behind,
  });
  // The MinIO node lost changes from run to run.
  const minioNode = ((options.seed + run - 1) % options.minioNodes) + 1;
  const injector = options.faults
    ? new FaultInjector(new ClusterControl(), timeline, { queue: settings.INGEST_QUEUE, minioNode, downMs: options.downMs, threshold: Math.ceil(plan.ops.length * options.killAt) })
    : undefined;
  activeInjector = injector;
  // One client (and so one connection pool) per client loop, all through the load balancer.
  const storeFor = () => stormStore(settings);

  const summary: RunSummary = {
    run,
    runs: options.runs,
    prefix,
    users: options.users,
    clients: options.clients,
    faults: options.faults,
    ops: plan.ops.length,
    opsByWhat: countByWhat(plan.ops),
    stormStartedAt: Date.now(),
    stormEndedAt: Date.now(),
    failures: [],
    retriedOps: 0,
    timeline: timeline.entries,
    caughtUpAt: null,
    passedAt: null,
    checkedAt: null,
    deadlineMs: options.deadlineMs,
    behind: [],
    busyQueues: {},
    longestStall: null,
    stalls: [],
    samples: 0,
    checks: [],
  };
  sampler.start();
  try {
    summary.stormStartedAt = timeline.add(`storm started: ${plan.ops.length} operations`);
    const storm = await runStorm(plan, storeFor, { rate: options.rate, ledger, attempts, onAck: (n) => injector?.onAck(n) });
    summary.stormEndedAt = timeline.add('storm ended: every operation acknowledged', storm.endedAt);
    summary.failures = groupFailures(storm.failureLog);
    summary.retriedOps = storm.retriedOps;
    behind = true;
    // The outage may still be going (a short storm): its end is waited for beside convergence.
    const [convergence] = await Promise.all([
      awaitConvergence(ctx, ledger, {
        deadlineAt: storm.endedAt + options.deadlineMs,
        queues: [topology.queue, ...topology.retryQueues.map((q) => q.name)],
        deadLettersBefore,
        onCaughtUp: (caughtUp) => (behind = !caughtUp),
      }),
      injector?.done(),
    ]);
    Object.assign(summary, { caughtUpAt: convergence.caughtUpAt, passedAt: convergence.passedAt, checkedAt: convergence.checkedAt, checks: convergence.results, behind: convergence.behind, busyQueues: convergence.busyQueues });
    if (convergence.passedAt !== null) timeline.add('converged', convergence.passedAt);
    if (injector && !summary.timeline.some((e) => e.what.startsWith('killed'))) summary.error = 'the outage never started (the storm ended before its threshold)';
  } catch (err) {
    summary.error = (err as Error).message;
  } finally {
    await sampler.stop();
    await injector?.restore().catch((err: Error) => (summary.error = `${summary.error ? `${summary.error}; ` : ''}cluster.sh up failed: ${err.message}`));
    activeInjector = undefined;
  }
  summary.samples = sampler.samples.length;
  summary.stalls = stalls(sampler.samples);
  summary.longestStall = longestStall(sampler.samples);
  summary.samplesFile = await writeSamples(prefix, { timeline: timeline.entries, samples: sampler.samples }).catch(() => undefined);
  summary.attemptsFile = await writeAttempts(prefix, attempts, summary.stormStartedAt).catch(() => undefined);
  summary.attempts = attempts.length;
  summary.noMarkerDeletes = [...new Set(attempts.filter(isNoOpDelete).map((a) => a.key))];
  const bucketCheck = summary.checks.find((c) => c.id === 'a');
  if (bucketCheck && !bucketCheck.ok && bucketCheck.keys?.length) summary.histories = keyHistories(attempts, bucketCheck.keys, summary.stormStartedAt);
  return { summary, ledger, attempts };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.error(`node-loss: ${signal}; bringing back any node it killed (infra/local/cluster.sh up)...`);
    void (activeInjector?.restore() ?? Promise.resolve()).finally(() => process.exit(130));
  });

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`node-loss failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
