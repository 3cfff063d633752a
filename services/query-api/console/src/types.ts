// The API's replies, as the console reads them: the types services/query-api/src/schemas.ts
// derives from the schemas the API validates and documents its replies with, so the console's
// cannot drift from them. Type imports only: this module compiles to `export {};` and no server
// code reaches the browser (tsconfig.json references the query API's project for them).
//
// Static<typeof schema> is taken there, not here: the console resolves @sinclair/typebox as an
// ES module and the API's declarations as CommonJS, two copies of its types that do not mix.

import type { PipelineStatus } from '../../src/schemas.js';

export type { Count, Job, PipelineStatus, Progress, Rejection, User } from '../../src/schemas.js';
/** A queue's depth, as GET /status reports each. */
export type QueueDepth = PipelineStatus['queues']['ingest'];
/** A service's or dependency's health, as GET /status reports each. */
export type Check = PipelineStatus['dependencies'][number];
