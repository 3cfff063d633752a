import { escapeLiteral } from 'pg';
import type { BirthdateBounds } from '../../domain/ageBounds';

/** What GET /data asks for, in database terms. */
export interface UserFilter {
  hasImage?: boolean;
  bounds?: BirthdateBounds;
  /** Keyset pagination: only users whose id sorts after this one. */
  afterUserId?: string;
}

export interface SqlCondition {
  text: string;
  values: unknown[];
}

/**
 * The WHERE clause for a filter, with $n placeholders. Age bounds are plain birthdate
 * comparisons, so the planner can use the birthdate indexes.
 */
export function userFilterSql(filter: UserFilter, firstParam = 1): SqlCondition {
  const parts: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${firstParam + values.length - 1}`;
  };
  if (filter.hasImage !== undefined) parts.push(filter.hasImage ? 'img_path IS NOT NULL' : 'img_path IS NULL');
  const b = filter.bounds ?? {};
  if (b.bornAtOrBefore) parts.push(`birthdate <= ${param(b.bornAtOrBefore.toISOString())}`);
  if (b.bornAfter) parts.push(`birthdate ${b.bornAfterInclusive ? '>=' : '>'} ${param(b.bornAfter.toISOString())}`);
  if (filter.afterUserId !== undefined) parts.push(`user_id > ${param(filter.afterUserId)}`);
  return { text: parts.length ? parts.join(' AND ') : 'TRUE', values };
}

/** The same condition with its values inlined as escaped literals, for COPY, which takes no parameters. */
export function userFilterLiteralSql(filter: UserFilter): string {
  const { text, values } = userFilterSql(filter);
  return text.replace(/\$(\d+)/g, (_, n: string) => escapeLiteral(String(values[Number(n) - 1])));
}
