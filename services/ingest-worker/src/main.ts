import { runService, workerSettings } from '@userpipe/shared';
import { startWorker } from './startWorker';

runService('ingest-worker', workerSettings, startWorker);
