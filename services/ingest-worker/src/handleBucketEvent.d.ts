import { type BucketEventRecord, type ReconcileDeps, type ReconcileOutcome } from '@userpipe/shared';
export type HandleOutcome = ReconcileOutcome | 'ignored' | 'other_bucket';
export interface HandleResult {
    outcome: HandleOutcome;
    userId?: string;
}
/**
 * The worker's core, as a function knows nothing of the queue that triggers it: an event
 * record names a key; the key names a user; the user is reconciled from the bucket.
 */
export declare function handleBucketEvent(record: BucketEventRecord, deps: ReconcileDeps): Promise<HandleResult>;
