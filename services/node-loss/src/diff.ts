import type { UserRowView } from '@userpipe/shared/testing';

/**
 * The comparisons behind the checks, pure so they are unit-tested: what differs, with a few
 * examples a person can look up, never just "not equal".
 */

export interface BucketDiff {
  /** Acknowledged uploads the bucket lacks. */
  missing: string[];
  /** Keys whose last acknowledged call deleted them, back in the bucket. */
  resurrected: string[];
  /** Keys the client never wrote (under the run's prefix). */
  unknown: string[];
  /** Keys holding another version than the last acknowledged one. */
  changed: { key: string; expected: string; actual: string }[];
}

/** Check (a): the bucket's listing (key → ETag) against the client's acknowledged state. */
export function diffBucket(expected: ReadonlyMap<string, string>, deleted: ReadonlySet<string>, listing: ReadonlyMap<string, string>): BucketDiff {
  const diff: BucketDiff = { missing: [], resurrected: [], unknown: [], changed: [] };
  for (const [key, etag] of expected) {
    const actual = listing.get(key);
    if (actual === undefined) diff.missing.push(key);
    else if (actual !== etag) diff.changed.push({ key, expected: etag, actual });
  }
  for (const key of listing.keys()) {
    if (expected.has(key)) continue;
    if (deleted.has(key)) diff.resurrected.push(key);
    else diff.unknown.push(key);
  }
  for (const list of [diff.missing, diff.resurrected, diff.unknown]) list.sort();
  diff.changed.sort((a, b) => (a.key < b.key ? -1 : 1));
  return diff;
}

export function bucketDiffIsEmpty(d: BucketDiff): boolean {
  return d.missing.length + d.resurrected.length + d.unknown.length + d.changed.length === 0;
}

export interface RowsDiff {
  /** Users the oracle has and the other side lacks. */
  missing: string[];
  /** Users the other side has and the oracle does not. */
  extra: string[];
  /** Users on both sides with another value somewhere. */
  different: { userId: string; expected: UserRowView; actual: UserRowView }[];
  /** Users the other side holds more than once. */
  duplicates: string[];
}

/** Checks (b), (c), (d): rows from Postgres, the API or output.csv against the oracle's. */
export function diffRows(expected: readonly UserRowView[], actual: readonly UserRowView[]): RowsDiff {
  const want = new Map(expected.map((r) => [r.user_id, r]));
  const seen = new Map<string, UserRowView>();
  const diff: RowsDiff = { missing: [], extra: [], different: [], duplicates: [] };
  for (const row of actual) {
    if (seen.has(row.user_id)) {
      diff.duplicates.push(row.user_id);
      continue;
    }
    seen.set(row.user_id, row);
    const w = want.get(row.user_id);
    if (!w) diff.extra.push(row.user_id);
    else if (!sameRow(w, row)) diff.different.push({ userId: row.user_id, expected: w, actual: row });
  }
  for (const id of want.keys()) if (!seen.has(id)) diff.missing.push(id);
  for (const list of [diff.missing, diff.extra, diff.duplicates]) list.sort();
  diff.different.sort((a, b) => (a.userId < b.userId ? -1 : 1));
  return diff;
}

export function rowsDiffIsEmpty(d: RowsDiff): boolean {
  return d.missing.length + d.extra.length + d.different.length + d.duplicates.length === 0;
}

/** Rows are equal on the five columns output.csv has; birthts compared as numbers (Postgres gives it as bigint text). */
export function sameRow(a: UserRowView, b: UserRowView): boolean {
  return (
    a.user_id === b.user_id &&
    a.first_name === b.first_name &&
    a.last_name === b.last_name &&
    Number(a.birthts) === Number(b.birthts) &&
    (a.img_path ?? null) === (b.img_path ?? null)
  );
}

/** A short account of a diff: counts, then up to `examples` of each kind. */
export function describeBucketDiff(d: BucketDiff, examples = 3): string {
  const parts: string[] = [];
  if (d.missing.length) parts.push(`${d.missing.length} acknowledged missing (${sample(d.missing, examples)})`);
  if (d.resurrected.length) parts.push(`${d.resurrected.length} deleted but back (${sample(d.resurrected, examples)})`);
  if (d.changed.length) parts.push(`${d.changed.length} another version (${sample(d.changed.map((c) => `${c.key} ${c.actual}≠${c.expected}`), examples)})`);
  if (d.unknown.length) parts.push(`${d.unknown.length} never written (${sample(d.unknown, examples)})`);
  return parts.join('; ');
}

export function describeRowsDiff(d: RowsDiff, examples = 3): string {
  const parts: string[] = [];
  if (d.missing.length) parts.push(`${d.missing.length} missing (${sample(d.missing, examples)})`);
  if (d.extra.length) parts.push(`${d.extra.length} extra (${sample(d.extra, examples)})`);
  if (d.different.length) {
    const shown = d.different.slice(0, examples).map(({ userId, expected, actual }) => `${userId}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`);
    parts.push(`${d.different.length} different (${shown.join('; ')}${d.different.length > examples ? '; …' : ''})`);
  }
  if (d.duplicates.length) parts.push(`${d.duplicates.length} duplicated (${sample(d.duplicates, examples)})`);
  return parts.join('; ');
}

function sample(list: readonly string[], n: number): string {
  return list.slice(0, n).join(', ') + (list.length > n ? ', …' : '');
}
