import { ageBounds, type UserFilter } from '@userpipe/shared';
import type { CountQuery, DataQuery } from './schemas';

export interface DataRequest {
  filter: UserFilter;
  limit?: number;
  format: 'json' | 'csv';
}

/**
 * Turns a validated query into database terms. Every query the schema admits is answerable:
 * bounds that no age meets together simply match nobody (whole-year and exact ages overlap in
 * ways a plain min <= max check gets wrong: min_age=30.5&max_age=30 matches thirty-and-a-half).
 */
export function parseDataQuery(query: DataQuery, accept: string | undefined, now: Date): DataRequest {
  const filter = parseUserFilter(query, now);
  if (query.cursor !== undefined) filter.afterUserId = query.cursor;
  const format = query.format ?? (accept && /\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept) ? 'csv' : 'json');
  return { filter, limit: query.limit, format };
}

/** The picture and age filters, shared by GET /data and GET /data/count. */
export function parseUserFilter(query: CountQuery, now: Date): UserFilter {
  const minAge = query.min_age === undefined ? undefined : Number(query.min_age);
  const maxAge = query.max_age === undefined ? undefined : Number(query.max_age);
  const filter: UserFilter = { bounds: ageBounds(now, minAge, maxAge) };
  if (query.is_image_exists !== undefined) filter.hasImage = ['true', '1'].includes(query.is_image_exists.toLowerCase());
  return filter;
}
