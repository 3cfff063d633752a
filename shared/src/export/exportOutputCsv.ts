import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'minio';
import { to as copyTo } from 'pg-copy-streams';
import { advisoryKey } from '../db/advisoryKey';
import type { Pool } from '../db/createPool';
import { COPY_USERS_CSV } from '../db/queries/copyUsersCsv';
import { recordOutputExport } from '../db/queries/outputExport';

export interface ExportTarget {
  bucket: string;
  key: string;
}

export interface ExportResult {
  rows: number;
  bytes: number;
}

/**
 * Writes output.csv from one Postgres snapshot and replaces the object in a single PUT, so a
 * reader sees the old file or the new one, never a mix (docs/design.md, invariant 6). The snapshot is
 * spooled to a temporary file first: memory stays flat however many users there are, and the
 * PUT knows its size (a sized stream is one PUT; an unsized one becomes a buffered multipart).
 * Exports queue on an advisory lock taken before the snapshot, so a newer snapshot is never
 * overwritten by an older one that finished later. Each export is recorded, still under the lock,
 * as the latest one (GET /status shows it).
 */
export async function exportOutputCsv(pool: Pool, minio: Client, target: ExportTarget): Promise<ExportResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'userpipe-export-'));
  const file = path.join(dir, 'output.csv');
  const client = await pool.connect();
  const lock = advisoryKey('export-output-csv');
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lock]);
    const started = performance.now();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const copy = client.query(copyTo(COPY_USERS_CSV));
      await pipeline(copy, createWriteStream(file));
      await client.query('COMMIT');
      const rows = Number(copy.rowCount);
      const { size } = await stat(file);
      await minio.putObject(target.bucket, target.key, createReadStream(file), size, {
        'Content-Type': 'text/csv; charset=utf-8',
      });
      await recordOutputExport(client, { rows, bytes: size, seconds: (performance.now() - started) / 1000 });
      return { rows, bytes: size };
    } finally {
      // Also ends a transaction a failure left open; after COMMIT it is a harmless no-op.
      await client.query('ROLLBACK').catch(() => undefined);
      await client.query('SELECT pg_advisory_unlock($1)', [lock]).catch((err: Error) => {
        broken = err;
      });
    }
  } finally {
    client.release(broken);
    await rm(dir, { recursive: true, force: true });
  }
}
