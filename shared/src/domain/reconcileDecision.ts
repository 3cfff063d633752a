import type { AppliedState } from './alreadyApplied';
import type { UserRecord } from './userFile';

/** A user's row as Postgres holds it. */
export interface UserRow extends UserRecord {
  userId: string;
  /** `<bucket>/<image key>`, or null when the user has no picture. */
  imgPath: string | null;
  /** ETag of the csv version the row was built from. */
  csvEtag: string;
}

/** What the bucket says about the user's csv, after reading it when that was needed. */
export type CsvObservation =
  | { state: 'absent' }
  /** The csv's ETag is the one the row was built from, so it was not read again. */
  | { state: 'same'; key: string; etag: string }
  | { state: 'bad'; key: string; etag: string; reason: string }
  | { state: 'good'; key: string; etag: string; user: UserRecord };

export interface BucketObservation {
  csv: CsvObservation;
  imgPath: string | null;
}

export type ReconcileOutcome = 'inserted' | 'updated' | 'unchanged' | 'deleted' | 'absent' | 'rejected';

export interface ReconcileDecision {
  outcome: ReconcileOutcome;
  row: { action: 'upsert'; row: UserRow } | { action: 'delete' } | { action: 'keep' };
  rejection: { action: 'record'; key: string; etag: string; reason: string } | { action: 'clear' };
}

/**
 * Whether the csv must be read (parsed and applied): not when the row was built from this very
 * version, unless a full reread is asked for. An overwrite with the same bytes has the same
 * ETag, so skipping it is safe.
 */
export function needsCsvBody(current: UserRow | null, etag: string, reread: boolean): boolean {
  return reread || current === null || current.csvEtag !== etag;
}

function sameRow(a: UserRow, b: UserRow): boolean {
  return (
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    a.birthts === b.birthts &&
    a.imgPath === b.imgPath &&
    a.csvEtag === b.csvEtag
  );
}

/**
 * Level-triggered: given the row as it is and the bucket as it is, what makes the row match
 * the bucket. It depends on nothing else, so deciding twice gives the same answer.
 */
export function decideReconcile(userId: string, current: UserRow | null, seen: BucketObservation): ReconcileDecision {
  const { csv, imgPath } = seen;
  switch (csv.state) {
    case 'absent':
      return {
        outcome: current ? 'deleted' : 'absent',
        row: current ? { action: 'delete' } : { action: 'keep' },
        rejection: { action: 'clear' },
      };
    case 'bad': {
      // The last good row stays; only the picture, which the bad csv says nothing about, follows the bucket.
      const row = current && current.imgPath !== imgPath ? { action: 'upsert' as const, row: { ...current, imgPath } } : { action: 'keep' as const };
      return { outcome: 'rejected', row, rejection: { action: 'record', key: csv.key, etag: csv.etag, reason: csv.reason } };
    }
    case 'same':
    case 'good': {
      if (csv.state === 'same' && !current) throw new Error(`csv of ${userId} cannot be unchanged without a row`);
      const fields = csv.state === 'good' ? csv.user : current!;
      const next: UserRow = {
        userId,
        firstName: fields.firstName,
        lastName: fields.lastName,
        birthts: fields.birthts,
        imgPath,
        csvEtag: csv.etag,
      };
      if (current && sameRow(current, next)) {
        return { outcome: 'unchanged', row: { action: 'keep' }, rejection: { action: 'clear' } };
      }
      return { outcome: current ? 'updated' : 'inserted', row: { action: 'upsert', row: next }, rejection: { action: 'clear' } };
    }
  }
}

/** What the database holds for the user once a decision is written, as the skip rule reads it. */
export function appliedAfter(current: UserRow | null, decision: ReconcileDecision): AppliedState {
  const row = decision.row.action === 'upsert' ? decision.row.row : decision.row.action === 'delete' ? null : current;
  return { csvEtag: row?.csvEtag ?? null, imgPath: row?.imgPath ?? null, rejectedCsvEtag: decision.rejection.action === 'record' ? decision.rejection.etag : null };
}
