import { csvKey, imageKeys, parseUserKey, type ListedUser } from '@userpipe/shared';

export interface ListedObject {
  name: string;
  etag: string;
}

/**
 * Turns a listing sorted by key into users, one at a time, holding only a few in memory.
 * Every key of user X starts with "X.", so once the listing has moved past that prefix, X is
 * complete. Other users' keys can fall inside it (user "a.b" between "a.csv" and "a.png"),
 * so users wait in order of first appearance and leave as soon as they and those before them
 * are complete.
 */
export async function* groupUserKeys(listing: AsyncIterable<ListedObject>): AsyncGenerator<ListedUser> {
  const pending: { userId: string; keys: Map<string, string> }[] = [];
  const byId = new Map<string, { userId: string; keys: Map<string, string> }>();

  const complete = (user: { userId: string; keys: Map<string, string> }): ListedUser => {
    byId.delete(user.userId);
    const image = imageKeys(user.userId).find((k) => user.keys.has(k)) ?? null;
    return { userId: user.userId, csvEtag: user.keys.get(csvKey(user.userId)) ?? null, imageKey: image };
  };

  for await (const object of listing) {
    while (pending.length > 0 && !object.name.startsWith(`${pending[0]!.userId}.`)) yield complete(pending.shift()!);
    const key = parseUserKey(object.name);
    if (!key) continue;
    let user = byId.get(key.userId);
    if (!user) {
      user = { userId: key.userId, keys: new Map() };
      byId.set(key.userId, user);
      pending.push(user);
    }
    user.keys.set(object.name, object.etag);
  }
  while (pending.length > 0) yield complete(pending.shift()!);
}
