/**
 * How object keys in the source bucket map to users. A user is `<user_id>.csv` plus an
 * optional picture `<user_id>.png|jpg|jpeg`; the user id is kept as text, so `0001` and `1`
 * are different users. Anything else (other extensions, keys under a prefix, odd names) is
 * not a user file.
 */

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg'] as const;
export type ImageExtension = (typeof IMAGE_EXTENSIONS)[number];

export type UserKey =
  | { userId: string; kind: 'csv' }
  | { userId: string; kind: 'image'; extension: ImageExtension };

/** A user id as a regular expression's source, for schemas that validate one. */
export const USER_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
const USER_ID = new RegExp(USER_ID_PATTERN);
const USER_KEY = /^(.+)\.(csv|png|jpg|jpeg)$/;

export function parseUserKey(key: string): UserKey | null {
  const match = USER_KEY.exec(key);
  if (!match) return null;
  const [, userId, extension] = match as unknown as [string, string, 'csv' | ImageExtension];
  if (!USER_ID.test(userId)) return null;
  return extension === 'csv' ? { userId, kind: 'csv' } : { userId, kind: 'image', extension };
}

export function isValidUserId(userId: string): boolean {
  return USER_ID.test(userId);
}

export function csvKey(userId: string): string {
  return `${userId}.csv`;
}

/** What a row's img_path holds for a picture: its bucket and key. */
export function imagePath(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

/** Keys a user's picture may have, in order of preference when several exist (of these extensions). */
export function imageKeys(userId: string, extensions: readonly ImageExtension[] = IMAGE_EXTENSIONS): string[] {
  return extensions.map((ext) => `${userId}.${ext}`);
}

/**
 * The picture extensions looked for only once the bucket has shown one (docs/design.md,
 * "Pictures looked for"): the png is the product's picture and is always looked for.
 */
export const SEEN_ONLY_EXTENSIONS: readonly ImageExtension[] = ['jpg', 'jpeg'];

export function isSeenOnlyExtension(extension: string): extension is ImageExtension {
  return (SEEN_ONLY_EXTENSIONS as readonly string[]).includes(extension);
}

/** The extensions a reconcile looks for, in order of preference: the png, and those of the others seen. */
export function extensionsToLookFor(seen: Iterable<string>): ImageExtension[] {
  const shown = new Set(seen);
  return IMAGE_EXTENSIONS.filter((ext) => !isSeenOnlyExtension(ext) || shown.has(ext));
}
