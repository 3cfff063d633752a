/**
 * Benchmark of the web console on a table of a million users (default), against the issue's
 * targets (R2 3 of 4; figures, nothing asserted):
 * - first render of the users view with 100 rows, thumbnails excluded: the browser's own
 *   performance timeline (the mark the view sets once its rows are in the page, in ms since the
 *   navigation started), each load in a fresh browser context (nothing cached), page served by
 *   the API; target at most 300 ms;
 * - GET /users/{user_id}/image for a 64x64 png (noise: about 12 KB, as a photo thumbnail), p99;
 *   target at most 20 ms. Also with If-None-Match (304).
 *
 * Its own database (`<POSTGRES_DB>_console_bench`, filled once and kept) and bucket
 * (`bench-console-src`, only the pictures the benchmark reads). The API runs as in production,
 * a child process of the built service, logged in as a query user of the bench's own, made for
 * the bench's bucket by the project's provisioning with the query policy
 * (infra/minio/policies/query.json) and removed at the end. Chromium is Debian's.
 *
 *   node services/query-api/dist/bench/consoleRender.js [users=1000000] [loads=30] [pictureRequests=3000]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createMinioClient, ensureBucket, loadSettings, minioSettings, postgresSettings, queryApiSettings } from '@userpipe/shared';
import { asEnv, endpointsFromSettings, provisionStack, SERVICES, unprovisionStack, type ServiceLogins, type ServiceName, type StackNames } from '@userpipe/shared/testing';
import { launchBrowser, USERS_RENDERED_MARK } from '../testBrowser';
import { noisyPng } from '../testPng';
import { benchUserId, prepareBenchDatabase } from './benchUsers';

const users = Number(process.argv[2] ?? 1_000_000);
const loads = Number(process.argv[3] ?? 30);
const pictureRequests = Number(process.argv[4] ?? 3000);
/** Pictures uploaded: those of the first page and more, so requests go to many objects. */
const PICTURES = 200;
const WARMUP_LOADS = 3;

const settings = loadSettings(queryApiSettings);
const owner = loadSettings(z.object(postgresSettings.shape));
const database = `${settings.POSTGRES_DB}_console_bench`;
const bucket = 'bench-console-src';
const MAIN = path.resolve(__dirname, '../main.js');

const logins = Object.fromEntries(
  SERVICES.map((service): [ServiceName, ServiceLogins] => {
    const name = `userpipe-console-bench-${service}`;
    return [service, { minio: { accessKey: name, secretKey: randomBytes(16).toString('hex') }, rabbitmq: { user: name, password: randomBytes(16).toString('hex') } }];
  }),
) as Record<ServiceName, ServiceLogins>;
const names: StackNames = {
  srcBucket: bucket,
  resBucket: 'bench-console-res',
  outputKey: 'output.csv',
  ingestQueue: 'bench-console-ingest',
  rebuildQueue: 'bench-console-rebuild-requests',
  logins,
};

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const summary = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `median ${ms(pct(sorted, 50))}  p95 ${ms(pct(sorted, 95))}  p99 ${ms(pct(sorted, 99))}  max ${ms(sorted.at(-1)!)}`;
};

/** The bench's pictures, with MinIO's root account (as people's tools use it). Returns the users that have one. */
async function uploadPictures(): Promise<string[]> {
  const root = createMinioClient(loadSettings(minioSettings));
  await ensureBucket(root, bucket);
  // Subscribed by the provisioning; the bench's uploads must not reach the ingest queues.
  await root.removeAllBucketNotification(bucket);
  const ids = Array.from({ length: PICTURES }, (_, i) => benchUserId(2 * (i + 1))); // every other user has a picture
  for (const [i, id] of ids.entries()) {
    const picture = noisyPng(64, 64, i + 1);
    await root.putObject(bucket, `${id}.png`, picture, picture.length, { 'Content-Type': 'image/png' });
  }
  return ids;
}

async function startApi(): Promise<{ base: string; stop(): void }> {
  const port = 18080 + Math.floor(Math.random() * 1000);
  const env = {
    ...asEnv(settings),
    POSTGRES_DB: database,
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    SRC_BUCKET: bucket,
    QUERY_MINIO_ACCESS_KEY: logins.query.minio.accessKey,
    QUERY_MINIO_SECRET_KEY: logins.query.minio.secretKey,
    API_STATUS_SERVICES: 'none',
    LOG_LEVEL: 'warn',
  };
  const api = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: 'inherit' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/readyz`).catch(() => null))?.ok) break;
    if (i > 100) throw new Error('the API did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop: () => api.kill('SIGTERM') };
}

/** Loads the users view `loads` times, each in a fresh context, and returns when its 100 rows were drawn, by the browser's clock. */
async function firstRenders(base: string): Promise<{ rendered: number[]; dataRequest: number[]; browser: string }> {
  const browser = await launchBrowser();
  const version = browser.version();
  const rendered: number[] = [];
  const dataRequest: number[] = [];
  try {
    for (let i = 0; i < WARMUP_LOADS + loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base}/#/users?limit=100`);
      // A function, not a string: the page's CSP forbids eval, which a string predicate needs.
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, USERS_RENDERED_MARK);
      const timing = (await page.evaluate(`(() => {
        const mark = performance.getEntriesByName(${JSON.stringify(USERS_RENDERED_MARK)})[0];
        const data = performance.getEntriesByType('resource').find((r) => r.name.includes('/data?'));
        return { rendered: mark.startTime, data: data ? data.responseEnd - data.startTime : -1, rows: document.querySelectorAll('table.users tbody tr').length };
      })()`)) as { rendered: number; data: number; rows: number };
      if (timing.rows !== 100) throw new Error(`the users view drew ${timing.rows} rows, not 100`);
      if (i >= WARMUP_LOADS) {
        rendered.push(timing.rendered);
        dataRequest.push(timing.data);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { rendered, dataRequest, browser: version };
}

async function pictureLatency(base: string, ids: string[], conditional: boolean): Promise<number[]> {
  const etags = new Map<string, string>();
  if (conditional) {
    for (const id of ids) {
      const res = await fetch(`${base}/users/${id}/image`);
      await res.arrayBuffer(); // read to the end, so the connection is free for the next request
      etags.set(id, res.headers.get('etag')!);
    }
  }
  const times: number[] = [];
  for (let i = 0; i < 200 + pictureRequests; i++) {
    const id = ids[i % ids.length]!;
    const started = performance.now();
    const res = await fetch(`${base}/users/${id}/image`, { headers: conditional ? { 'if-none-match': etags.get(id)! } : {} });
    const body = await res.arrayBuffer();
    const took = performance.now() - started;
    if (res.status !== (conditional ? 304 : 200) || (!conditional && body.byteLength < 1000)) throw new Error(`${id}: ${res.status}, ${body.byteLength} bytes`);
    if (i >= 200) times.push(took); // after a warm-up
  }
  return times;
}

async function main(): Promise<void> {
  const services = endpointsFromSettings(process.env);
  await provisionStack(services, names);
  let api: { base: string; stop(): void } | undefined;
  try {
    await prepareBenchDatabase(owner, database, users, bucket);
    const ids = await uploadPictures();
    api = await startApi();
    const size = noisyPng(64, 64, 1).length;
    // On a machine shared with other work the figures move with its load: say what it was.
    const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
    const loadBefore = load();
    const { rendered, dataRequest, browser } = await firstRenders(api.base);
    console.log(`${users} users; API on ${api.base} as MinIO user ${logins.query.minio.accessKey} (query policy on ${bucket}); Chromium ${browser}; load average before: ${loadBefore}`);
    console.log(`users view, first render of 100 rows (performance mark, ${loads} cold loads): ${summary(rendered)}   target <= 300 ms`);
    console.log(`  of which GET /data?limit=100 (resource timing):                   ${summary(dataRequest)}`);
    const plain = await pictureLatency(api.base, ids, false);
    console.log(`GET /users/{id}/image, 64x64 png of ${size} bytes, ${pictureRequests} requests: ${summary(plain)}   target p99 <= 20 ms`);
    const revalidated = await pictureLatency(api.base, ids, true);
    console.log(`  the same with If-None-Match (304):                             ${summary(revalidated)}`);
    console.log(`load average after: ${load()} (2 cores)`);
  } finally {
    api?.stop();
    await unprovisionStack(services, names);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
