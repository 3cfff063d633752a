// The workspace library every service uses. Grouped by concern; each module has one job.
export * from './config/loadSettings';
export * from './config/settings';
export * from './logging/createLogger';

export * from './domain/userKey';
export * from './domain/userFile';
export * from './domain/reconcileDecision';
export * from './events/bucketEvent';

export * from './db/advisoryKey';
export * from './db/createPool';
export * from './db/migrate';
export * from './db/queries/selectUser';

export * from './storage/createMinioClient';
export * from './storage/provisionBuckets';
export * from './storage/userObjects';

export * from './messaging/amqpUrl';
export * from './messaging/ingestTopology';
export * from './messaging/retryPolicy';
export * from './messaging/resilientConsumer';

export * from './reconcile/reconcileUser';
export * from './export/coalescer';
export * from './export/exportLeader';
export * from './export/exportOutputCsv';
