import {
  alreadyApplied,
  changedUnannounced,
  decodeBucketEvent,
  eventMissed,
  NOTHING_APPLIED,
  parseUserKey,
  reconcileUsers,
  seenOnlyPictureOf,
  selectAppliedStates,
  type AppliedState,
  type BucketEventRecord,
  type Delivery,
  type HandleResult,
  type Logger,
  type ReconcileDeps,
  type ReconcileOutcome,
} from '@userpipe/shared';
import type { WorkerMetrics } from './metrics';

export type EventOutcome = ReconcileOutcome | 'skipped' | 'ignored' | 'other_bucket' | 'failed';

/** What one batch's log line counts: events by outcome, deliveries asked again, users rechecked, deliveries put off. */
type BatchCounts = Partial<Record<EventOutcome | 'missed' | 'unannounced' | 'putOff', number>>;

/**
 * How many times a delivery may be put off because another batch holds its user's lock; after
 * that its batch waits for the lock, so a user held for long (by a rebuild, say) is not retried
 * in a loop.
 */
const MAX_PUT_OFFS = 3;

export interface IngestBatchOptions {
  deps: ReconcileDeps;
  /** Deliveries in one batch at most. With a prefetch above it, the next batch gathers while one runs. */
  maxBatch: number;
  /** Batches running at once at most (default 2: one gathers its reads while the other commits). */
  maxInFlight?: number;
  /** How long the first delivery of a batch waits for more. */
  maxWaitMs: number;
  metrics: WorkerMetrics;
  logger: Logger;
}

interface Pending {
  delivery: Delivery;
  done: (result: HandleResult) => void;
  fail: (err: unknown) => void;
  /** Times its batch left it for the next because its user's lock was held (MAX_PUT_OFFS). */
  putOffs: number;
}

interface Decoded {
  pending: Pending;
  records: BucketEventRecord[];
}

/**
 * The worker's core: it knows nothing of the queue that feeds it. Each delivery handed to
 * `handle` joins a micro-batch of at most `maxBatch` deliveries. An idle worker starts a batch
 * at once (a lone upload waits for nothing); while a batch runs, arrivals gather for the next,
 * which starts `maxWaitMs` after its first delivery, or when it is full; at most `maxInFlight`
 * batches run at once, and arrivals beyond wait for one to end. So batches grow with the load by
 * themselves, and a busy worker runs a few large transactions rather than many small ones. The batch is decoded, events already applied are dropped without
 * reading the bucket, and the users left are reconciled together in one transaction. Each
 * delivery's promise settles after the commit that covers it, so the consumer acks after
 * commit. When the batch fails, its deliveries are reconciled one by one, so that only a
 * delivery that fails alone is retried (and in the end dead-lettered). The skip rule is asked
 * twice: before the batch's transaction, and again once its locks are held, as another batch
 * holding a copy of the same event may have applied it meanwhile. A user whose lock another
 * batch holds is not waited for: its deliveries go to the next batch (docs/design.md, "Put off,
 * not waited for"). A delivery whose event the
 * reconcile missed (the bucket it read did not show what the event announced: eventMissed) is
 * done, but asked again after a delay, in case what it read was stale. A user whose row its
 * reconcile changed in a way no event of the batch announced (changedUnannounced: perhaps a
 * stale read of another key) is rechecked: one of its deliveries comes back after each delay,
 * skipped by nothing, until the asking time is up.
 */
export function createIngestBatches(opts: IngestBatchOptions): { handle: (delivery: Delivery) => Promise<HandleResult> } {
  const { deps, metrics, logger } = opts;
  const batch: Pending[] = [];
  /** What starts the batch gathering now: the next turn of the event loop, or the end of its wait. */
  let start: { cancel(): void } | undefined;
  let running = 0;
  const maxInFlight = opts.maxInFlight ?? 2;

  const flush = () => {
    start?.cancel();
    start = undefined;
    if (batch.length === 0 || running >= maxInFlight) return;
    const taken = batch.splice(0, opts.maxBatch);
    running++;
    void runBatch(taken).finally(() => {
      running--;
      // What gathered meanwhile has waited long enough.
      flush();
    });
    if (batch.length > 0) schedule();
  };

  /** When the batch gathering now starts: at once when idle or full, else after `maxWaitMs`; never beyond the in-flight limit (a batch ending flushes). */
  const schedule = () => {
    if (running >= maxInFlight) return;
    if (batch.length >= opts.maxBatch) flush();
    // Idle: start on the next turn of the event loop, with whatever arrived in this one (an
    // immediate, not a 0 ms timeout, which Node stretches to 1 ms: a lone upload's whole wait).
    else start ??= running === 0 ? nextTurn(flush) : after(opts.maxWaitMs, flush);
  };

  const runBatch = async (taken: Pending[]) => {
    const started = performance.now();
    const decoded: Decoded[] = [];
    for (const pending of taken) {
      try {
        decoded.push({ pending, records: decodeBucketEvent(pending.delivery.body) });
      } catch (err) {
        metrics.events.inc({ outcome: 'failed' });
        pending.fail(err); // undecodable: dead-lettered alone, its batch-mates go on
      }
    }
    const counts: BatchCounts = {};
    const done = (item: Decoded, asks: ReadonlyMap<Decoded, HandleResult>) => item.pending.done(asks.get(item));
    try {
      const { asks, putOff } = await settle(decoded, counts, true);
      for (const item of decoded) {
        if (!putOff.has(item)) done(item, asks);
        else {
          item.pending.putOffs++;
          batch.unshift(item.pending); // first in the next batch, which starts as this one ends
        }
      }
    } catch (err) {
      logger.warn({ err, deliveries: decoded.length }, 'batch failed; reconciling its deliveries one by one');
      for (const one of decoded) {
        try {
          // settle counts only once its reconcile has committed, so a failure counts nothing twice.
          done(one, (await settle([one], counts, false)).asks);
        } catch (oneErr) {
          for (const record of one.records) {
            metrics.events.inc({ outcome: 'failed' });
            logger.debug({ key: record.key, event: record.eventName, outcome: 'failed' }, 'event failed');
          }
          counts.failed = (counts.failed ?? 0) + one.records.length;
          one.pending.fail(oneErr);
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    metrics.batchSeconds.observe(seconds);
    logger.info({ deliveries: taken.length, ...counts, seconds: Number(seconds.toFixed(4)) }, 'batch handled');
  };

  /**
   * Skips, reconciles and counts the records of these deliveries: one read of what is applied,
   * one reconcile. Returns what to ask again, and how: 'again' for a delivery with an event the
   * reconcile missed; 'recheck' for a delivery that came back to be rechecked (its records are
   * never skipped), and for one delivery of each user whose row its reconcile changed in a way
   * no event of the batch announced (changedUnannounced). With `mayPutOff`, a user whose lock
   * another batch holds is not waited for (docs/design.md, "Put off, not waited for"): its
   * deliveries are returned as put off, unsettled and uncounted, for the next batch.
   */
  const settle = async (items: Decoded[], counts: BatchCounts, mayPutOff: boolean): Promise<{ asks: Map<Decoded, HandleResult>; putOff: Set<Decoded> }> => {
    const records = items.flatMap((d) => d.records);
    const rechecked = new Set(items.filter((item) => item.pending.delivery.recheck).flatMap((item) => item.records));
    const outcomes = new Map<BucketEventRecord, EventOutcome>();
    const userOf = new Map<BucketEventRecord, string>();
    const recordsOf = new Map<string, BucketEventRecord[]>();
    for (const record of records) {
      if (record.bucket !== deps.srcBucket) outcomes.set(record, 'other_bucket');
      else {
        const key = parseUserKey(record.key);
        if (key) {
          userOf.set(record, key.userId);
          recordsOf.set(key.userId, [...(recordsOf.get(key.userId) ?? []), record]);
        } else outcomes.set(record, 'ignored');
      }
    }
    const skip = (record: BucketEventRecord, state: AppliedState) => !rechecked.has(record) && alreadyApplied(record, deps.srcBucket, state);
    const applied = await selectAppliedStates(deps.pool, [...new Set(userOf.values())]);
    /** Each user's records not skipped yet: what its reconcile comes to apply. */
    const toApply = new Map<string, BucketEventRecord[]>();
    for (const [record, userId] of userOf) {
      if (skip(record, applied.get(userId) ?? NOTHING_APPLIED)) outcomes.set(record, 'skipped');
      else toApply.set(userId, [...(toApply.get(userId) ?? []), record]);
    }
    // Created jpgs and jpegs: recorded as seen under the locks, before their users are read.
    const picturesShown = [...toApply.values()].flat().flatMap((record) => seenOnlyPictureOf(record, deps.srcBucket) ?? []);
    // Asked again under the locks: a batch holding another copy of these events may have committed meanwhile.
    const stillToDo = (userId: string, state: AppliedState) => !toApply.get(userId)!.every((record) => skip(record, state));
    const putOffUsers = new Set<string>();
    const putOffAble = mayPutOff ? putOffable(items, userOf) : new Set<string>();
    const putOffOptions = putOffAble.size > 0 ? { may: (userId: string) => putOffAble.has(userId), putOff: (ids: string[]) => ids.forEach((id) => putOffUsers.add(id)) } : undefined;
    const results = new Map((await reconcileUsers(deps, [...toApply.keys()], { stillToDo, mayPutOff: putOffOptions, picturesShown })).map((r) => [r.userId, r]));
    const putOff = new Set(items.filter((item) => item.records.some((record) => putOffUsers.has(userOf.get(record)!))));
    if (putOff.size > 0) counts.putOff = (counts.putOff ?? 0) + putOff.size;

    const asks = new Map<Decoded, HandleResult>();
    for (const item of items) {
      if (putOff.has(item)) continue;
      if (item.pending.delivery.recheck) asks.set(item, 'recheck');
      else if (item.records.some((record) => {
        const result = results.get(userOf.get(record)!);
        return result !== undefined && !outcomes.has(record) && eventMissed(record, deps.srcBucket, result.applied);
      })) {
        asks.set(item, 'again');
        counts.missed = (counts.missed ?? 0) + 1;
        metrics.missed.inc();
        // At info, one line each: rare (a stale read or a superseded change), and the trail a lost
        // update is traced by (docs/design.md, "The clustered topology").
        logger.info({ events: item.records.map((r) => `${r.eventName} ${r.key}`) }, 'the read did not show what the event announced (asked again until WORKER_ASK_AGAIN_FOR_MS is up)');
      }
    }
    for (const result of results.values()) {
      const theirs = recordsOf.get(result.userId)!;
      if (!changedUnannounced(result.before, result.applied, theirs, deps.srcBucket)) continue;
      // One of the user's deliveries is enough to read it again.
      const item = items.find((i) => i.records.includes(theirs[0]!))!;
      asks.set(item, 'recheck');
      counts.unannounced = (counts.unannounced ?? 0) + 1;
      metrics.unannounced.inc();
      logger.info(
        { userId: result.userId, before: result.before, after: result.applied, events: theirs.map((r) => `${r.eventName} ${r.key}`) },
        'the reconcile changed the row in a way no event announced (the user is read again until WORKER_ASK_AGAIN_FOR_MS is up)',
      );
    }
    for (const record of records) {
      const userId = userOf.get(record);
      if (userId !== undefined && putOffUsers.has(userId)) continue; // counted when its next batch settles it
      const outcome = outcomes.get(record) ?? results.get(userId!)?.outcome ?? 'skipped';
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      metrics.events.inc({ outcome });
      if (outcome === 'rejected') metrics.rejections.inc();
      logger.debug({ key: record.key, event: record.eventName, userId, outcome }, 'event handled');
    }
    return { asks, putOff };
  };

  const handle = (delivery: Delivery) =>
    new Promise<HandleResult>((done, fail) => {
      batch.push({ delivery, done, fail, putOffs: 0 });
      schedule();
    });

  return { handle };
}

function nextTurn(fn: () => void): { cancel(): void } {
  const immediate = setImmediate(fn);
  return { cancel: () => clearImmediate(immediate) };
}

function after(ms: number, fn: () => void): { cancel(): void } {
  const timeout = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(timeout) };
}

/**
 * The users that may be put off rather than waited for: each delivery announcing one has been
 * put off fewer than MAX_PUT_OFFS times, and announces no other user (so a delivery put off
 * holds no change that its batch settled).
 */
function putOffable(items: readonly Decoded[], userOf: ReadonlyMap<BucketEventRecord, string>): Set<string> {
  const may = new Set<string>();
  const mayNot = new Set<string>();
  for (const item of items) {
    const users = new Set(item.records.map((record) => userOf.get(record)));
    const alone = users.size === 1 && item.pending.putOffs < MAX_PUT_OFFS;
    for (const user of users) if (user !== undefined) (alone ? may : mayNot).add(user);
  }
  for (const user of mayNot) may.delete(user);
  return may;
}
