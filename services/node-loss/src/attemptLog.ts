import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './clusterControl';

/**
 * What one HTTP reply to a storm call said, filled in by the store as it arrives, also for a
 * reply the call then fails on (a 503's S3 error code). Whatever did not arrive stays unset.
 */
export interface Reply {
  status?: number;
  /** The S3 error code of a reply that was not a success (SlowDown, XMinioWriteQuorum, ...). */
  code?: string;
  /** x-amz-request-id: the MinIO node's id of the request, to find it in that node's log or trace. */
  requestId?: string;
  /** x-amz-id-2, cut short: MinIO sets it to a hash of the answering node's name. */
  node?: string;
  /** x-amz-version-id: the version a PUT wrote, the delete marker a DELETE wrote (or found). */
  versionId?: string;
  /** x-amz-delete-marker: a DELETE's reply says it wrote (or found) a delete marker. */
  deleteMarker?: boolean;
  etag?: string;
}

/** One attempt of one storm call: when it was sent, how it ended, what the reply said. */
export interface Attempt {
  seq: number;
  client: number;
  key: string;
  kind: 'put' | 'remove';
  /** 1 for the first attempt of the call, 2 for its first retry, ... */
  n: number;
  start: number;
  end: number | null;
  /** `ok`, or why the attempt failed (the storm's reason: HTTP 503, ECONNRESET, TimeoutError, ...). */
  outcome: string;
  /** An attempt given up on (timed out) whose request settled afterwards: how, and when. */
  late?: { outcome: string; at: number };
  reply: Reply;
}

/**
 * A DELETE of a versioned bucket's key answered 2xx without a delete marker: MinIO read no
 * current version and wrote nothing (its `s3:ObjectRemoved:NoOP`), although the storm's last
 * acknowledged call on the key was a PUT. The storm does not take it as an acknowledgement
 * (storm.ts, deleteTookEffect): such an attempt is recorded with the outcome NoDeleteMarker.
 */
export function isNoOpDelete(a: Attempt): boolean {
  const status = a.reply.status;
  return a.kind === 'remove' && status !== undefined && status >= 200 && status < 300 && !a.reply.deleteMarker && !a.reply.versionId;
}

const TSV_COLUMNS = ['seq', 'client', 'key', 'op', 'n', 'start_ms', 'end_ms', 'outcome', 'status', 'code', 'version_id', 'delete_marker', 'node', 'request_id', 'etag', 'late'];

const cell = (v: string | number | undefined) => (v === undefined ? '' : String(v).replace(/[\t\n]/g, ' '));

/** The attempts as tab-separated lines (times in ms from `origin`), one header line first. */
export function attemptsTsv(attempts: readonly Attempt[], origin: number): string {
  const lines = [`# storm started at ${new Date(origin).toISOString()} (${origin}); times in ms from it`, TSV_COLUMNS.join('\t')];
  for (const a of attempts) {
    const r = a.reply;
    lines.push(
      [
        a.seq,
        a.client,
        a.key,
        a.kind === 'put' ? 'PUT' : 'DELETE',
        a.n,
        a.start - origin,
        a.end === null ? '' : a.end - origin,
        a.outcome,
        r.status,
        r.code,
        r.versionId,
        r.deleteMarker === undefined ? '' : r.deleteMarker ? 'true' : 'false',
        r.node,
        r.requestId,
        r.etag,
        a.late ? `${a.late.outcome}@${a.late.at - origin}` : '',
      ]
        .map(cell)
        .join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Keeps a run's attempts in test-output/node-loss/<prefix>.attempts.tsv (beside its samples). */
export async function writeAttempts(prefix: string, attempts: readonly Attempt[], origin: number): Promise<string> {
  const dir = join(REPO_ROOT, 'test-output', 'node-loss');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${prefix.replace(/-$/, '')}.attempts.tsv`);
  await writeFile(file, attemptsTsv(attempts, origin));
  return file;
}

const sec = (ms: number, origin: number) => `${ms >= origin ? '+' : '-'}${(Math.abs(ms - origin) / 1000).toFixed(3)} s`;

/** One attempt in a line a person reads: when, what, how it ended, what the reply said. */
export function describeAttempt(a: Attempt, origin: number): string {
  const r = a.reply;
  const took = a.end === null ? 'unsettled' : `${a.end - a.start} ms`;
  const said = [
    r.status !== undefined ? `HTTP ${r.status}` : 'no reply',
    r.code,
    r.versionId ? `version ${r.versionId}` : undefined,
    r.deleteMarker ? 'delete marker' : undefined,
    isNoOpDelete(a) ? 'NO delete marker (nothing written)' : undefined,
    r.etag ? `etag ${r.etag}` : undefined,
    r.node ? `node ${r.node}` : undefined,
    r.requestId ? `req ${r.requestId}` : undefined,
  ].filter(Boolean);
  const late = a.late ? `; settled late: ${a.late.outcome} at ${sec(a.late.at, origin)}` : '';
  return `${sec(a.start, origin)} #${a.seq} ${a.kind === 'put' ? 'PUT' : 'DELETE'} try ${a.n}: ${a.outcome} (${took}; ${said.join(', ')})${late}`;
}

/** For each key, every attempt the storm made on it, in order, indented under the key. */
export function keyHistories(attempts: readonly Attempt[], keys: readonly string[], origin: number, limit = 20): string[] {
  const wanted = new Set(keys.slice(0, limit));
  const byKey = new Map<string, Attempt[]>();
  for (const a of attempts) if (wanted.has(a.key)) (byKey.get(a.key) ?? byKey.set(a.key, []).get(a.key)!).push(a);
  const lines: string[] = [];
  for (const key of keys.slice(0, limit)) {
    lines.push(`    ${key}:`);
    for (const a of byKey.get(key) ?? []) lines.push(`      ${describeAttempt(a, origin)}`);
  }
  if (keys.length > limit) lines.push(`    (and ${keys.length - limit} more keys: see the attempts file)`);
  return lines;
}
