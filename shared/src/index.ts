// The workspace library every service uses. Grouped by concern; each module has one job.
export * from './config/loadSettings';
export * from './config/settings';
export * from './logging/createLogger';
export * from './service/runService';
export * from './http/healthEndpoints';
export * from './http/healthServer';

export * from './domain/userKey';
export * from './domain/userFile';
export * from './domain/reconcileDecision';
export * from './domain/alreadyApplied';
export * from './domain/listedPicture';
export * from './domain/ageBounds';
export * from './events/bucketEvent';

export * from './db/advisoryKey';
export * from './db/createPool';
export * from './db/inOrder';
export * from './db/migrate';
export * from './db/queries/userFilter';
export * from './db/queries/userApiColumns';
export * from './db/queries/selectUsersPage';
export * from './db/queries/copyApiUsers';
export * from './db/queries/copyUsersCsv';
export * from './db/queries/rebuildJobs';
export * from './db/queries/selectRejections';
export * from './db/queries/selectUserStates';
export * from './db/queries/seenUsers';
export * from './db/queries/streamUnseenUsers';
export * from './db/queries/drawWriteSeq';
export * from './db/queries/recordPictureExtensions';
export * from './db/queries/pruneAbsences';
export { USERS_CHANGED_CHANNEL } from './db/queries/notifyUsersChanged';
export * from './db/queries/outputExport';
export * from './db/queries/pagePosition';
export * from './db/queries/selectPreviousUsers';
export * from './db/queries/rejectionPages';
export * from './db/queries/jobPages';
export * from './db/queries/countCapped';
export * from './db/queries/selectUserImagePath';
export * from './db/queries/selectReplicationLag';

export * from './storage/createMinioClient';
export * from './storage/provisionBuckets';
export * from './storage/userObjects';
export * from './storage/listBucket';

export * from './messaging/amqpUrl';
export * from './messaging/rabbitmqNodes';
export * from './messaging/queueTopology';
export * from './messaging/ingestTopology';
export * from './messaging/rebuildTopology';
export * from './messaging/retryPolicy';
export * from './messaging/resilientConsumer';
export * from './messaging/replayDeadLetters';
export * from './messaging/publishConfirmed';

export * from './reconcile/reconcileUsers';
export * from './reconcile/reconcileDeps';
export * from './util/mapWithConcurrency';
export * from './util/png';
export * from './util/withTimeout';
export * from './export/coalescer';
export * from './export/exportLeader';
export * from './export/exportOutputCsv';
export * from './export/outputCsvExporter';
