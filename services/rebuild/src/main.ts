import { rebuildSettings, runService } from '@userpipe/shared';
import { startRebuildService } from './startRebuildService';

// On SIGTERM, a rebuild in progress is finished first (compose allows it ten minutes).
runService('rebuild', rebuildSettings, startRebuildService);
