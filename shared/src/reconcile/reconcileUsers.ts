import { withTransaction } from '../db/createPool';
import { inOrder } from '../db/inOrder';
import { lockUsers } from '../db/queries/lockUsers';
import { tryLockUsers } from '../db/queries/tryLockUsers';
import { selectAbsentSince } from '../db/queries/selectAbsentSince';
import { appliedStateOf, selectUserStates, type StoredUser } from '../db/queries/selectUserStates';
import { NOTHING_APPLIED, type AppliedState } from '../domain/alreadyApplied';
import { listedPictureHolds } from '../domain/listedPicture';
import { appliedAfter, decideReconcile, type ReconcileDecision } from '../domain/reconcileDecision';
import { imagePath, parseUserKey, type ImageExtension } from '../domain/userKey';
import { mapWithConcurrency } from '../util/mapWithConcurrency';
import { decisionWrites } from './decisionWrites';
import { observeUser } from './observeUser';
import { picturesLookedFor } from './picturesLookedFor';
import type { ReconcileDeps } from './reconcileDeps';

export interface ReconcileOptions {
  /** Read the csv even when its ETag is the one the row was built from (a full rebuild). */
  reread?: boolean;
  now?: Date;
  /**
   * What a listing of the bucket showed for these users (their preferred picture's key), and the
   * number drawn from the row-write sequence before that listing began. Where the listed picture
   * holds (shared/src/domain/listedPicture.ts) no HEAD is made for it.
   */
  listing?: { seq: bigint; imageKeys: ReadonlyMap<string, string | null> };
  /**
   * The skip rule, asked again once the locks are held (docs/design.md, "Skip what is already
   * applied"): false when what the caller came to apply for this user is in place by now. A
   * batch that waited for a lock held by another batch, or another worker, holding a copy of
   * the same event then reads nothing from the bucket. Such users are left out of the results.
   */
  stillToDo?: (userId: string, applied: AppliedState) => boolean;
  /**
   * Users that need not be waited for (docs/design.md, "Put off, not waited for"): when another
   * transaction holds such a user's lock, the user is left out (nothing read, nothing written)
   * and named to `putOff`, and the others go on. The rest are waited for, as without it.
   */
  mayPutOff?: { may: (userId: string) => boolean; putOff: (userIds: string[]) => void };
  /**
   * Picture extensions the caller was shown in the bucket (a created jpg's event): recorded as
   * seen under the locks, before any of these users is read (docs/design.md, "Pictures looked
   * for"). A listing's pictures count as shown too.
   */
  picturesShown?: readonly string[];
}

export interface ReconcileResult extends ReconcileDecision {
  userId: string;
  /** Whether a csv body was downloaded. */
  csvRead: boolean;
  /** What the database held for the user before this reconcile, as the skip rule reads it. */
  before: AppliedState;
  /** What the database holds for the user after this reconcile, as the skip rule reads it. */
  applied: AppliedState;
}

/**
 * Makes a set of users' rows match the bucket, in one transaction (docs/design.md, invariants
 * 2, 3 and 8): lock every user in one fixed order before reading the bucket for any of them;
 * record the picture extensions the caller was shown and read those seen (picturesLookedFor);
 * read their rows in one query; observe the bucket for each, a few at a time; decide each with
 * the pure decision function; write set-wise; notify once; commit. Whoever locks last has
 * read the newest objects, and running it again over an unchanged bucket changes nothing.
 * One user is a batch of one: this is the only reconcile.
 */
export async function reconcileUsers(deps: ReconcileDeps, userIds: readonly string[], opts: ReconcileOptions = {}): Promise<ReconcileResult[]> {
  const wanted = [...new Set(userIds)].sort();
  if (wanted.length === 0) return [];
  const now = opts.now ?? new Date();
  const known = deps.seenExtensions ?? new Set<ImageExtension>();
  let recorded: ImageExtension[] = [];
  const results = await withTransaction(deps.pool, async (tx) => {
    // Waits for the locks of the users that may not be put off, in one order, and only then
    // tries the others' without waiting: a transaction never waits while it holds a lock it only
    // tried for, so no cycle of waits can form. The reads come after the locks, in the same round
    // trip on a pipelined pool: Postgres runs them in this order (inOrder).
    const mayPutOff = opts.mayPutOff;
    const [, busy, pictures, users] = await inOrder(
      tx,
      () => lockUsers(tx, mayPutOff ? wanted.filter((id) => !mayPutOff.may(id)) : wanted),
      () => tryLockUsers(tx, mayPutOff ? wanted.filter((id) => mayPutOff.may(id)) : []),
      () => picturesLookedFor(tx, known, picturesShown(opts)),
      // One read under the locks serves the skip rule and the decisions alike (a busy user's row is read too, and left aside).
      () => selectUserStates(tx, wanted),
    );
    recorded = pictures.recorded;
    if (busy.size > 0) mayPutOff?.putOff([...busy]);
    const locked = wanted.filter((id) => !busy.has(id));
    if (locked.length === 0) return { result: [] };
    const ids = leftToDo(locked, users, opts.stillToDo);
    if (ids.length === 0) return { result: [] };
    const stored = (id: string) => users.get(id)?.stored ?? null;
    const row = (id: string) => stored(id)?.row ?? null;
    const listing = opts.listing;
    const leftRowless = listing ? await selectAbsentSince(tx, ids.filter((id) => !stored(id)), listing.seq) : new Set<string>();
    const knownImgPath = (id: string): string | null | undefined => {
      const imageKey = listing?.imageKeys.get(id);
      if (listing === undefined || imageKey === undefined) return undefined;
      const listed = imageKey === null ? null : imagePath(deps.srcBucket, imageKey);
      const s = stored(id);
      const state = s ? { imgPath: s.row.imgPath, writeSeq: s.writeSeq } : { leftRowlessSince: leftRowless.has(id) };
      return listedPictureHolds(listed, state, listing.seq) ? listed : undefined;
    };
    const observed = await mapWithConcurrency(ids, deps.readConcurrency ?? 16, (id) =>
      observeUser(deps, id, row(id), { reread: opts.reread ?? false, now, knownImgPath: knownImgPath(id), extensions: pictures.extensions }),
    );
    const results = ids.map((userId, i) => {
      const decision = decideReconcile(userId, row(userId), observed[i]!.seen);
      const user = users.get(userId);
      const before = user ? appliedStateOf(user) : NOTHING_APPLIED;
      return { ...decision, userId, csvRead: observed[i]!.csvRead, before, applied: appliedAfter(row(userId), decision) };
    });
    const writes = decisionWrites(tx, results, (id) => ({ hadRow: stored(id) !== null, hadRejection: (users.get(id)?.rejectedCsvEtag ?? null) !== null }));
    return { result: results, lastly: writes };
  });
  // Only now committed: a rolled-back record must not be taken for one.
  for (const ext of recorded) deps.seenExtensions?.add(ext);
  return results;
}

function picturesShown(opts: ReconcileOptions): string[] {
  const listed = [...(opts.listing?.imageKeys.values() ?? [])].map((key) => (key === null ? null : parseUserKey(key)));
  return [...(opts.picturesShown ?? []), ...listed.flatMap((key) => (key?.kind === 'image' ? [key.extension] : []))];
}

function leftToDo(ids: string[], users: ReadonlyMap<string, StoredUser>, stillToDo: ReconcileOptions['stillToDo']): string[] {
  if (!stillToDo) return ids;
  return ids.filter((id) => {
    const user = users.get(id);
    return stillToDo(id, user ? appliedStateOf(user) : NOTHING_APPLIED);
  });
}

/** Reconciles one user: a batch of one. */
export async function reconcileUser(deps: ReconcileDeps, userId: string, opts: ReconcileOptions = {}): Promise<ReconcileResult> {
  return (await reconcileUsers(deps, [userId], opts))[0]!;
}
