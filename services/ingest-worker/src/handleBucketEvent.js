"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handleBucketEvent = handleBucketEvent;
const shared_1 = require("@userpipe/shared");
/**
 * The worker's core, as a function knows nothing of the queue that triggers it: an event
 * record names a key; the key names a user; the user is reconciled from the bucket.
 */
async function handleBucketEvent(record, deps) {
    if (record.bucket !== deps.srcBucket)
        return { outcome: 'other_bucket' };
    const userKey = (0, shared_1.parseUserKey)(record.key);
    if (!userKey)
        return { outcome: 'ignored' };
    const result = await (0, shared_1.reconcileUser)(deps, userKey.userId);
    return { outcome: result.outcome, userId: userKey.userId };
}
//# sourceMappingURL=handleBucketEvent.js.map