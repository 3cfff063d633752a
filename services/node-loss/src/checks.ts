import type { MinioClient } from '@userpipe/shared';
import type { UserRowView } from '@userpipe/shared/testing';
import type pg from 'pg';
import { bucketDiffIsEmpty, describeBucketDiff, describeRowsDiff, diffBucket, diffRows, rowsDiffIsEmpty } from './diff';
import type { AckLedger } from './ledger';
import { parseOutputCsv } from './outputCsv';
import type { RabbitAdmin } from './rabbitAdmin';
import { apiUsers, objectText, postgresUsers } from './readers';

/** One of issue 12's checks, passed or failed with what was seen. */
export interface CheckResult {
  id: 'a' | 'b' | 'c' | 'd' | 'e';
  name: string;
  ok: boolean;
  detail: string;
  /** Check (a): the keys that differ (missing, deleted but back, unknown, another version), for their histories. */
  keys?: string[];
}

export interface CheckContext {
  minio: MinioClient;
  srcBucket: string;
  resBucket: string;
  outputKey: string;
  pool: pg.Pool;
  apiBase: string;
  rabbit: RabbitAdmin;
  deadLetterQueue: string;
  prefix: string;
}

/** A check that could not even look (a reader threw) fails, saying why. */
async function guarded(id: CheckResult['id'], name: string, fn: () => Promise<{ ok: boolean; detail: string }>): Promise<CheckResult> {
  try {
    return { id, name, ...(await fn()) };
  } catch (err) {
    return { id, name, ok: false, detail: `could not check: ${(err as Error).message}` };
  }
}

/** (a) The bucket holds exactly what MinIO acknowledged to the client: no acknowledged upload missing, no deleted key back. */
export function checkBucket(ledger: AckLedger, listing: ReadonlyMap<string, string>): CheckResult {
  const expected = ledger.present();
  const diff = diffBucket(expected, ledger.deleted(), listing);
  return {
    id: 'a',
    name: 'bucket = acknowledged state',
    ok: bucketDiffIsEmpty(diff),
    detail: bucketDiffIsEmpty(diff) ? `${listing.size} keys, each the last acknowledged version; ${ledger.deleted().size} deleted keys absent` : describeBucketDiff(diff),
    keys: [...diff.resurrected, ...diff.missing, ...diff.changed.map((c) => c.key), ...diff.unknown],
  };
}

function rowsResult(oracle: readonly UserRowView[], actual: readonly UserRowView[], extra = ''): { ok: boolean; detail: string } {
  const diff = diffRows(oracle, actual);
  const ok = rowsDiffIsEmpty(diff);
  return { ok, detail: ok ? `${actual.length} users, as the oracle${extra}` : describeRowsDiff(diff) };
}

/** (b) Postgres' users equal the oracle computed from the bucket. */
export function checkPostgres(ctx: CheckContext, oracle: readonly UserRowView[]): Promise<CheckResult> {
  return guarded('b', 'Postgres users = oracle', async () => rowsResult(oracle, await postgresUsers(ctx.pool, ctx.prefix)));
}

/** (c) GET /data, read page by page, equals the oracle. */
export function checkApi(ctx: CheckContext, oracle: readonly UserRowView[]): Promise<CheckResult> {
  return guarded('c', 'GET /data = oracle', async () => rowsResult(oracle, await apiUsers(ctx.apiBase, ctx.prefix)));
}

/** (d) output.csv equals the oracle, and names no user twice (over the whole file, not only this run's users). */
export function checkOutputCsv(ctx: CheckContext, oracle: readonly UserRowView[]): Promise<CheckResult> {
  return guarded('d', `${ctx.resBucket}/${ctx.outputKey} = oracle`, async () => {
    const text = await objectText(ctx.minio, ctx.resBucket, ctx.outputKey);
    if (text === null) return { ok: false, detail: `${ctx.resBucket}/${ctx.outputKey} does not exist` };
    const all = parseOutputCsv(text);
    const counts = new Map<string, number>();
    for (const row of all) counts.set(row.user_id, (counts.get(row.user_id) ?? 0) + 1);
    const dupes = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const result = rowsResult(oracle, all.filter((r) => r.user_id.startsWith(ctx.prefix)), ` (${all.length} rows in the file)`);
    if (dupes.length === 0) return result;
    return { ok: false, detail: `${dupes.length} user_ids more than once (${dupes.slice(0, 3).join(', ')}${dupes.length > 3 ? ', …' : ''})${result.ok ? '' : `; ${result.detail}`}` };
  });
}

/** (e) Nothing was parked in the dead-letter queue. */
export function checkDeadLetters(ctx: CheckContext, before: number | null): Promise<CheckResult> {
  return guarded('e', `${ctx.deadLetterQueue} empty`, async () => {
    const n = await ctx.rabbit.depthOrThrow(ctx.deadLetterQueue);
    const history = before === null ? '' : before > 0 ? ` (it held ${before} before the run)` : '';
    return { ok: n === 0, detail: n === 0 ? `0 messages${history}` : `${n} messages parked${history}: see .local/cluster/logs or .local/logs for the worker's errors` };
  });
}
