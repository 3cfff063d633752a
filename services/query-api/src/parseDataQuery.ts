import { ageBounds, isValidUserId, type UserFilter } from '@userpipe/shared';
import type { DataQuery } from './schemas';

export class BadParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DataRequest {
  filter: UserFilter;
  limit?: number;
  format: 'json' | 'csv';
}

export function encodeCursor(userId: string): string {
  return Buffer.from(userId, 'utf8').toString('base64url');
}

/**
 * Turns a validated query into database terms. Validation has checked each parameter alone;
 * this checks them together (min_age above max_age) and decodes the cursor.
 */
export function parseDataQuery(query: DataQuery, accept: string | undefined, now: Date): DataRequest {
  const minAge = query.min_age === undefined ? undefined : Number(query.min_age);
  const maxAge = query.max_age === undefined ? undefined : Number(query.max_age);
  if (minAge !== undefined && maxAge !== undefined && minAge > maxAge) {
    throw new BadParameterError('min_age', `min_age (${query.min_age}) is greater than max_age (${query.max_age}), so nobody could match`);
  }
  const filter: UserFilter = { bounds: ageBounds(now, minAge, maxAge) };
  if (query.is_image_exists !== undefined) filter.hasImage = ['true', '1'].includes(query.is_image_exists.toLowerCase());
  if (query.cursor !== undefined) {
    const afterUserId = Buffer.from(query.cursor, 'base64url').toString('utf8');
    if (!isValidUserId(afterUserId) || encodeCursor(afterUserId) !== query.cursor) {
      throw new BadParameterError('cursor', "cursor is not one this API gave out; use the previous page's Link header");
    }
    filter.afterUserId = afterUserId;
  }
  const format = query.format ?? (accept && /\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept) ? 'csv' : 'json');
  return { filter, limit: query.limit, format };
}
