import { recordPictureExtensions } from '../db/queries/recordPictureExtensions';
import type { Queryable } from '../db/queries/queryable';
import { extensionsToLookFor, SEEN_ONLY_EXTENSIONS, type ImageExtension } from '../domain/userKey';

/**
 * The picture extensions a reconcile looks for (docs/design.md, "Pictures looked for"): the
 * png, and a jpg or jpeg once the bucket has shown one. Called under the batch's locks, it first
 * records what the caller was shown (a created jpg's event, a listing), so that every reconcile
 * taking one of these users' locks after this commit looks for it too. `known` holds what this
 * process already knows is recorded; once it holds both, nothing needs asking.
 */
export async function picturesLookedFor(
  tx: Queryable,
  known: ReadonlySet<ImageExtension>,
  shown: readonly string[],
): Promise<{ extensions: ImageExtension[]; recorded: ImageExtension[] }> {
  if (SEEN_ONLY_EXTENSIONS.every((ext) => known.has(ext))) return { extensions: extensionsToLookFor(known), recorded: [] };
  const recorded = await recordPictureExtensions(tx, shown);
  return { extensions: extensionsToLookFor(recorded), recorded };
}
