import { csvKey, imageKeys, parseUserKey, type ImageExtension, type ListedObject, type ListedUser } from '@userpipe/shared';

export interface ListedUserKeys extends ListedUser {
  /** Every picture extension listed for the user, the preferred one's and those behind it. */
  pictureExtensions: ImageExtension[];
}

/**
 * Turns a listing sorted by key into users, one at a time, holding only a few in memory.
 * Every key of user X starts with "X.", so once the listing has moved past that prefix, X is
 * complete. Other users' keys can fall inside it (user "a.b" between "a.csv" and "a.png"),
 * so users wait in order of first appearance and leave as soon as they and those before them
 * are complete.
 */
export async function* groupUserKeys(listing: AsyncIterable<ListedObject>): AsyncGenerator<ListedUserKeys> {
  type Grouping = { userId: string; keys: Map<string, string>; pictureExtensions: ImageExtension[] };
  const pending: Grouping[] = [];
  const byId = new Map<string, Grouping>();

  const complete = (user: Grouping): ListedUserKeys => {
    byId.delete(user.userId);
    const image = imageKeys(user.userId).find((k) => user.keys.has(k)) ?? null;
    return { userId: user.userId, csvEtag: user.keys.get(csvKey(user.userId)) ?? null, imageKey: image, pictureExtensions: user.pictureExtensions };
  };

  for await (const object of listing) {
    while (pending.length > 0 && !object.name.startsWith(`${pending[0]!.userId}.`)) yield complete(pending.shift()!);
    const key = parseUserKey(object.name);
    if (!key) continue;
    let user = byId.get(key.userId);
    if (!user) {
      user = { userId: key.userId, keys: new Map(), pictureExtensions: [] };
      byId.set(key.userId, user);
      pending.push(user);
    }
    user.keys.set(object.name, object.etag);
    if (key.kind === 'image') user.pictureExtensions.push(key.extension);
  }
  while (pending.length > 0) yield complete(pending.shift()!);
}
