import type { MinioClient } from '@userpipe/shared';
import type { Attempt } from './attemptLog';
import { checkBucket } from './checks';
import type { AckLedger } from './ledger';
import { listBucket } from './readers';

/** What a run leaves for the look after the last run: its users and what MinIO acknowledged. */
export interface RunLedger {
  run: number;
  prefix: string;
  ledger: AckLedger;
  /** Every attempt of its storm, and the storm's start (attemptLog.ts). */
  attempts: Attempt[];
  origin: number;
}

/**
 * Check (a) again for every run, after the last one. A run's own check looks once, when its
 * pipeline has converged, but distributed MinIO may change the bucket later with no event: the
 * scanner heals versions written while a node was down and applies the lifecycle, and a delete
 * marker healed onto a drive without the version under it once looked alone there and was
 * expired, bringing the deleted key back minutes later (docs/design.md, "The clustered
 * topology"). The later runs' outages are what such a change needs, so this looks after them.
 */
export async function recheckBuckets(
  minio: MinioClient,
  bucket: string,
  runs: readonly RunLedger[],
  histories: (run: RunLedger, keys: readonly string[]) => string[] = () => [],
): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const r of runs) {
    const result: { ok: boolean; detail: string; keys?: string[] } = await listBucket(minio, bucket, r.prefix).then(
      (listing) => checkBucket(r.ledger, listing),
      (err: Error) => ({ ok: false, detail: `could not list the bucket: ${err.message}` }),
    );
    ok &&= result.ok;
    lines.push(`  ${result.ok ? 'PASS' : 'FAIL'} run ${r.run}'s bucket (${r.prefix}*) still = acknowledged state: ${result.detail}`);
    if (result.keys?.length) lines.push(...histories(r, result.keys));
  }
  return { ok, lines };
}
