import { Type, type Static } from '@sinclair/typebox';
import { USER_ID_PATTERN } from '@userpipe/shared';

// Every request and reply shape, declared once: Fastify validates with them, TypeScript derives
// the handler types from them, and the OpenAPI document is generated from them.

export const AGE_RULE =
  'Age in years at the time of the request, computed from the birthdate in UTC. A whole number is completed years, ' +
  'birthday-aware (min_age=30: has had the 30th birthday; max_age=30: has not had the 31st, so someone thirty and a half is 30). ' +
  'A decimal is an exact age: whole calendar years plus that fraction of a mean year of 365.2425 days ' +
  '(min_age=30.5: at least thirty and a half years old). Both bounds are inclusive, and at most 999.' +
  ' A min_age and max_age that no age satisfies together (min_age=40&max_age=30) match nobody: an empty list.';

// Three digits at most: ages stay within what dates can hold (a larger one reached before year 1).
const ageParam = (which: string) =>
  Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]+)?$', description: `${which} age, inclusive. ${AGE_RULE}`, examples: ['30', '30.5'] });

export const dataQuerySchema = (maxPageSize: number) =>
  Type.Object(
    {
      is_image_exists: Type.Optional(
        Type.String({ pattern: '^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)$', description: 'true/1: only users with a picture; false/0: only users without (any letter case)' }),
      ),
      min_age: Type.Optional(ageParam('Minimum')),
      max_age: Type.Optional(ageParam('Maximum')),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize, description: `Page size (1 to ${maxPageSize}). Without it, every matching user is streamed.` })),
      cursor: Type.Optional(
        Type.String({
          pattern: USER_ID_PATTERN,
          description: 'The page starts after the user with this user_id; the previous page\'s Link rel="next" gives it',
        }),
      ),
      format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: the same format as output.csv (also chosen by Accept: text/csv)' })),
    },
    { additionalProperties: false },
  );
export type DataQuery = Static<ReturnType<typeof dataQuerySchema>>;

/** What to say about a parameter that failed validation, in words a person can act on. */
export const PARAMETER_PROBLEMS: Record<string, string> = {
  is_image_exists: 'must be true, false, 1 or 0',
  min_age: 'must be a non-negative number of years below 1000, such as 30 or 30.5',
  max_age: 'must be a non-negative number of years below 1000, such as 30 or 30.5',
  limit: 'must be a whole number of users per page, in digits, at least 1 and at most the maximum page size',
  cursor: 'must be a user_id, as given in a previous page\'s Link header',
  format: 'must be json or csv',
  mode: 'must be default or full',
};

export const userSchema = Type.Object({
  id: Type.Integer({ description: 'Record id' }),
  user_id: Type.String({ description: 'The file name without extension' }),
  first_name: Type.String(),
  last_name: Type.String(),
  birthdate: Type.String({ format: 'date-time', description: 'ISO 8601, UTC' }),
  birthts: Type.Integer({ description: 'Milliseconds since 1970-01-01 UTC' }),
  img_path: Type.Union([Type.String(), Type.Null()], { description: 'src/<image key>, or null without a picture' }),
});

export const errorSchema = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  parameter: Type.Optional(Type.String({ description: 'The query parameter at fault' })),
});

export const jobSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  mode: Type.Union([Type.Literal('default'), Type.Literal('full')]),
  requested_at: Type.String({ format: 'date-time' }),
  started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  summary: Type.Record(Type.String(), Type.Unknown(), { description: 'Counts: users seen, inserted, updated, unchanged, deleted, rejected' }),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const rejectionSchema = Type.Object({
  key: Type.String(),
  user_id: Type.String(),
  etag: Type.String(),
  reason: Type.String(),
  rejected_at: Type.String({ format: 'date-time' }),
});

export const rebuildRequestSchema = Type.Object(
  {
    mode: Type.Optional(
      Type.Union([Type.Literal('default'), Type.Literal('full')], {
        description: 'default: re-read only csv files whose ETag changed; full: re-read and re-apply every csv',
      }),
    ),
  },
  { additionalProperties: false },
);
