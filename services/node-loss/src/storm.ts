import type { Attempt, Reply } from './attemptLog';
import { AckLedger } from './ledger';
import type { StormOp, StormPlan } from './plan';
import { reasonOf, sleep, STORM_RETRY, untilAcknowledged, type AttemptFailure, type RetryPolicy } from './untilAcknowledged';

/**
 * The two calls the storm makes; main.ts backs them with a `minio` client per client loop, through
 * the load balancer. A store that can fills `reply` with what the HTTP reply said, also when the
 * call fails on it (the attempt log's record of what MinIO answered).
 */
export interface ObjectStore {
  /** PUTs the object and returns the ETag MinIO acknowledged. */
  put(key: string, body: Buffer, reply?: Reply): Promise<string>;
  remove(key: string, reply?: Reply): Promise<void>;
}

/** The reason recorded for a DELETE that MinIO answered 2xx without writing a delete marker (retried). */
export const NO_DELETE_MARKER = 'NoDeleteMarker';

/**
 * Whether a DELETE's reply shows it took effect. Every key the storm deletes holds a version it
 * wrote, and `src` is versioned, so a DELETE that did something answers with the delete
 * marker it wrote (x-amz-delete-marker, x-amz-version-id). A 2xx without them is MinIO's answer
 * for a key it read as absent: it wrote nothing (`s3:ObjectRemoved:NoOP`). Distributed MinIO
 * gives it for a key that is there when too few of the drives holding it answer the read while
 * drives without it do (docs/design.md, "Deletes lost after a node's return"), so such a reply
 * is no acknowledgement: the DELETE is sent again until a marker is written. A store that
 * records no replies (unit tests' buckets in memory) is taken at its word.
 */
export function deleteTookEffect(reply: Reply): boolean {
  return reply.status === undefined || reply.deleteMarker === true || reply.versionId !== undefined;
}

export interface StormResult {
  ledger: AckLedger;
  startedAt: number;
  endedAt: number;
  /** Failed attempts by reason (each was retried until acknowledged). */
  failures: Map<string, number>;
  /** Every failed attempt: when, on which key, why (the report places them among the kills). */
  failureLog: { at: number; key: string; reason: string }[];
  /** Operations that needed more than one attempt: their first outcome was uncertain. */
  retriedOps: number;
  /** Every attempt of every call, in the order they were sent (attemptLog.ts). */
  attempts: Attempt[];
}

/**
 * Runs the plan with one async loop per client. Each loop makes its own operations one at a time
 * in plan order with its own store (so calls on one key never overlap and the last acknowledgement is the key's
 * state), starting operation `seq` no earlier than `seq / rate` seconds into the storm, so the
 * storm lasts long enough for the outage to happen in its middle. A loop that falls behind
 * (its call was being retried) catches up without waiting. `onAck` hears of every acknowledged
 * call, with the count so far: the fault injector starts from it.
 */
export async function runStorm(
  plan: StormPlan,
  storeFor: (client: number) => ObjectStore,
  opts: { rate: number; ledger?: AckLedger; attempts?: Attempt[]; onAck?: (count: number) => void; retry?: RetryPolicy; now?: () => number },
): Promise<StormResult> {
  const now = opts.now ?? Date.now;
  const ledger = opts.ledger ?? new AckLedger();
  // Given by the caller, so that what was sent is kept even when the storm gives up.
  const attempts = opts.attempts ?? [];
  const failures = new Map<string, number>();
  const failureLog: StormResult['failureLog'] = [];
  let retriedOps = 0;
  const startedAt = now();
  const byClient = Array.from({ length: plan.clients }, () => [] as StormOp[]);
  for (const op of plan.ops) byClient[op.client]!.push(op);

  // One loop giving up fails the storm; the others stop at their next operation.
  let aborted = false;
  const loop = async (ops: StormOp[], client: number) => {
    const store = storeFor(client);
    for (const op of ops) {
      if (aborted) return;
      if (opts.rate > 0) {
        const due = startedAt + (op.seq * 1000) / opts.rate;
        if (due > now()) await sleep(due - now());
      }
      let failed = false;
      let current: Attempt | undefined;
      const onFailure = (f: AttemptFailure) => {
        failed = true;
        failures.set(f.reason, (failures.get(f.reason) ?? 0) + 1);
        failureLog.push({ at: f.at, key: op.key, reason: f.reason });
        // A timeout gives up on an attempt whose request may still settle: it is marked now.
        if (current && current.end === null) Object.assign(current, { outcome: f.reason, end: f.at });
      };
      // Each attempt recorded as it is sent, and completed when its request settles.
      let n = 0;
      const attempt = <T>(call: (reply: Reply) => Promise<T>) => async (): Promise<T> => {
        const a: Attempt = { seq: op.seq, client, key: op.key, kind: op.kind, n: ++n, start: now(), end: null, outcome: 'pending', reply: {} };
        attempts.push(a);
        current = a;
        const settled = (outcome: string) => {
          if (a.end === null) Object.assign(a, { outcome, end: now() });
          else a.late = { outcome, at: now() };
        };
        try {
          const result = await call(a.reply);
          settled('ok');
          return result;
        } catch (err) {
          settled(reasonOf(err));
          throw err;
        }
      };
      if (op.kind === 'put') {
        const etag = await untilAcknowledged(attempt((reply) => store.put(op.key, op.body!, reply)), opts.retry ?? STORM_RETRY, onFailure, now);
        ledger.put(op.key, etag, now());
      } else {
        const remove = async (reply: Reply) => {
          await store.remove(op.key, reply);
          if (!deleteTookEffect(reply)) throw Object.assign(new Error(`DELETE of ${op.key} answered ${reply.status} without a delete marker`), { code: NO_DELETE_MARKER });
        };
        await untilAcknowledged(attempt(remove), opts.retry ?? STORM_RETRY, onFailure, now);
        ledger.remove(op.key, now());
      }
      if (failed) retriedOps++;
      opts.onAck?.(ledger.count);
    }
  };
  await Promise.all(
    byClient.map((ops, client) =>
      loop(ops, client).catch((err: unknown) => {
        aborted = true;
        throw err;
      }),
    ),
  );
  return { ledger, startedAt, endedAt: now(), failures, failureLog, retriedOps, attempts };
}
