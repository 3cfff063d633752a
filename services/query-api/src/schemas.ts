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

/** The filter of GET /data, also taken by GET /data/count. */
const userFilterParams = {
  is_image_exists: Type.Optional(
    Type.String({ pattern: '^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)$', description: 'true/1: only users with a picture; false/0: only users without (any letter case)' }),
  ),
  min_age: Type.Optional(ageParam('Minimum')),
  max_age: Type.Optional(ageParam('Maximum')),
};

const pageSize = (maxPageSize: number, what: string, without: string) =>
  Type.Integer({ minimum: 1, maximum: maxPageSize, description: `Page size (1 to ${maxPageSize}) in ${what}. ${without}` });

const PAGING =
  'The Link header gives the next page (rel="next") and the previous one (rel="prev"), when there is one.';

export const dataQuerySchema = (maxPageSize: number) =>
  Type.Object(
    {
      ...userFilterParams,
      limit: Type.Optional(pageSize(maxPageSize, 'users', 'Without it, every matching user is streamed.')),
      cursor: Type.Optional(
        Type.String({
          pattern: USER_ID_PATTERN,
          description: `The page starts after the user with this user_id. ${PAGING}`,
        }),
      ),
      format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: the same format as output.csv (also chosen by Accept: text/csv)' })),
    },
    { additionalProperties: false },
  );
export type DataQuery = Static<ReturnType<typeof dataQuerySchema>>;

export const countQuerySchema = Type.Object(userFilterParams, { additionalProperties: false });
export type CountQuery = Static<typeof countQuerySchema>;

/** At most this many users are counted: beyond, GET /data/count says "more than" (a million-row count is a full scan). */
export const COUNT_CAP = 10_000;

export const countSchema = Type.Object({
  count: Type.Integer({ minimum: 0, description: `Matching users, counted up to ${COUNT_CAP}` }),
  capped: Type.Boolean({ description: `true: more than count users match (counting stops at ${COUNT_CAP})` }),
});
export type Count = Static<typeof countSchema>;

/** A rejection's key: a user csv key, as the previous page's Link header gives it. */
const REJECTION_KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,131}$';

export const rejectionsQuerySchema = (maxPageSize: number) =>
  Type.Object(
    {
      limit: Type.Optional(pageSize(maxPageSize, 'rejections', 'Without it, every rejection is streamed.')),
      cursor: Type.Optional(Type.String({ pattern: REJECTION_KEY_PATTERN, description: `The page starts after the rejected file with this key. ${PAGING}` })),
    },
    { additionalProperties: false },
  );
export type RejectionsQuery = Static<ReturnType<typeof rejectionsQuerySchema>>;

/** GET /jobs without a limit: the jobs table only grows, so it is always read a page at a time. */
export const DEFAULT_JOBS_PAGE = 20;

export const jobsQuerySchema = (maxPageSize: number) =>
  Type.Object(
    {
      limit: Type.Optional(pageSize(maxPageSize, 'jobs', `Default ${DEFAULT_JOBS_PAGE}.`)),
      cursor: Type.Optional(Type.String({ format: 'uuid', description: `The page starts after the job with this id (recent first). ${PAGING}` })),
    },
    { additionalProperties: false },
  );
export type JobsQuery = Static<ReturnType<typeof jobsQuerySchema>>;

export const userImageParamsSchema = Type.Object({
  user_id: Type.String({ pattern: USER_ID_PATTERN, description: 'The user\'s id: the name of its csv without .csv' }),
});

/**
 * What to say about a parameter that failed validation, in words a person can act on: by name,
 * or by `<route> <name>` where routes mean different things by one name.
 */
export const PARAMETER_PROBLEMS: Record<string, string> = {
  is_image_exists: 'must be true, false, 1 or 0',
  min_age: 'must be a non-negative number of years below 1000, such as 30 or 30.5',
  max_age: 'must be a non-negative number of years below 1000, such as 30 or 30.5',
  limit: 'must be a whole number of users per page, in digits, at least 1 and at most the maximum page size',
  cursor: 'must be a user_id, as given in a previous page\'s Link header',
  format: 'must be json or csv',
  mode: 'must be default or full',
  user_id: 'must be a user id: 1 to 128 of A-Z a-z 0-9 . _ -, starting with a letter or digit',
  '/rejections limit': 'must be a whole number of rejections per page, in digits, at least 1 and at most the maximum page size',
  '/rejections cursor': 'must be the key of a rejected file, as given in a previous page\'s Link header',
  '/jobs limit': 'must be a whole number of jobs per page, in digits, at least 1 and at most the maximum page size',
  '/jobs cursor': 'must be a job id (a UUID), as given in a previous page\'s Link header',
};

export function parameterProblem(routeUrl: string | undefined, name: string): string | undefined {
  return PARAMETER_PROBLEMS[`${routeUrl} ${name}`] ?? PARAMETER_PROBLEMS[name];
}

export const userSchema = Type.Object({
  id: Type.Integer({ description: 'Record id' }),
  user_id: Type.String({ description: 'The file name without extension' }),
  first_name: Type.String(),
  last_name: Type.String(),
  birthdate: Type.String({ format: 'date-time', description: 'ISO 8601, UTC' }),
  birthts: Type.Integer({ description: 'Milliseconds since 1970-01-01 UTC' }),
  img_path: Type.Union([Type.String(), Type.Null()], { description: 'src/<image key>, or null without a picture' }),
});
export type User = Static<typeof userSchema>;

export const errorSchema = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  parameter: Type.Optional(Type.String({ description: 'The query parameter at fault' })),
});

export const progressSchema = Type.Object(
  {
    done: Type.Integer({ minimum: 0, description: 'Users reconciled so far' }),
    total: Type.Integer({ minimum: 0, description: 'Users expected: those Postgres holds (an estimate beyond 100,000) or seen in the bucket, whichever is more' }),
    per_second: Type.Number({ minimum: 0, description: 'Users per second since the job started' }),
    eta_seconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'Seconds left at that rate; null before the first user is done' }),
  },
  { description: 'How far a running job is; null unless it runs' },
);
export type Progress = Static<typeof progressSchema>;

export const jobSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  mode: Type.Union([Type.Literal('default'), Type.Literal('full')]),
  requested_at: Type.String({ format: 'date-time' }),
  started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  summary: Type.Record(Type.String(), Type.Unknown(), { description: 'Counts: users seen, inserted, updated, unchanged, deleted, rejected' }),
  error: Type.Union([Type.String(), Type.Null()]),
  progress: Type.Union([progressSchema, Type.Null()]),
});
export type Job = Static<typeof jobSchema>;

export const rejectionSchema = Type.Object({
  key: Type.String(),
  user_id: Type.String(),
  etag: Type.String(),
  reason: Type.String(),
  rejected_at: Type.String({ format: 'date-time' }),
});
export type Rejection = Static<typeof rejectionSchema>;

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

const queueFields = {
  name: Type.String(),
  messages: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Messages ready for a consumer; null when the queue could not be read' }),
  consumers: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the queue could not be read (it does not exist yet, RabbitMQ is unreachable)' }),
};
const queueSchema = Type.Object(queueFields);

const checkFields = {
  name: Type.String(),
  ok: Type.Boolean(),
  detail: Type.Union([Type.String(), Type.Null()], { description: 'What failed, when it did' }),
};

const sizeSchema = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  exact: Type.Boolean({ description: 'false: the planner\'s estimate (the table is too large to count on every refresh)' }),
});

export const statusSchema = Type.Object({
  generated_at: Type.String({ format: 'date-time' }),
  queues: Type.Object({
    ingest: queueSchema,
    dead_letters: Type.Object({ ...queueFields, replay: Type.String({ description: 'How to put the dead letters back on the ingest queue' }) }),
    retries: Type.Array(Type.Object({ ...queueFields, delay_ms: Type.Integer({ minimum: 0 }) }), { description: 'The delay queues, shortest delay first' }),
    rebuild_requests: queueSchema,
  }),
  output_export: Type.Union(
    [
      Type.Object({
        finished_at: Type.String({ format: 'date-time' }),
        rows: Type.Integer({ minimum: 0 }),
        bytes: Type.Integer({ minimum: 0 }),
        seconds: Type.Number({ minimum: 0 }),
      }),
      Type.Null(),
    ],
    { description: 'The latest export of output.csv; null before the first' },
  ),
  counts: Type.Union([Type.Object({ users: sizeSchema, rejections: sizeSchema }), Type.Null()], { description: 'null when Postgres could not be read' }),
  active_job: Type.Union([jobSchema, Type.Null()], { description: 'The rebuild queued or running, if any' }),
  services: Type.Array(Type.Object({ ...checkFields, url: Type.String({ description: 'Its health server (API_STATUS_SERVICES)' }) }), {
    description: 'Each service\'s /readyz, as the query API reaches it',
  }),
  dependencies: Type.Array(Type.Object(checkFields), { description: 'Postgres, RabbitMQ and MinIO, as the query API reaches them' }),
});
export type PipelineStatus = Static<typeof statusSchema>;
