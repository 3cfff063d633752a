import { Parser } from 'htmlparser2';
import type { Client } from 'minio';
import { bareEtag } from './userObjects';

export interface ListedObject {
  name: string;
  /** Bare, as everywhere in the project. */
  etag: string;
}

/** One page of a listing: its objects, and the token that continues it (null on the last page). */
export interface ListedPage {
  objects: ListedObject[];
  next: string | null;
}

/** S3's query escaping (RFC 3986): what the request is signed with must be what is sent. */
const escape = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Keys come URL-encoded (encoding-type=url, so that any key fits in XML), with `+` for a space. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * Reads one ListObjectsV2 answer: only what a rebuild needs, each object's key and ETag, and
 * the continuation. Read as a stream of tags rather than built into a tree: minio-js's own
 * parse of a 1,000-key page took about 25 ms, most of a listing's time (docs/scaling.md).
 */
export function parseListPage(xml: string): ListedPage {
  const objects: ListedObject[] = [];
  let next: string | null = null;
  let truncated = false;
  let listing = false;
  let inContents = false;
  let text = '';
  let key = '';
  let etag = '';
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'ListBucketResult') listing = true;
        else if (name === 'Contents') [inContents, key, etag] = [true, '', ''];
        text = '';
      },
      ontext(chunk) {
        text += chunk;
      },
      onclosetag(name) {
        if (inContents) {
          if (name === 'Key') key = text;
          else if (name === 'ETag') etag = text;
          else if (name === 'Contents') {
            objects.push({ name: decodeKey(key), etag: bareEtag(etag) });
            inContents = false;
          }
        } else if (name === 'IsTruncated') truncated = text === 'true';
        else if (name === 'NextContinuationToken') next = text;
        text = '';
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml);
  if (!listing) throw new Error('a listing answered without ListBucketResult');
  return { objects, next: truncated ? next : null };
}

async function listPage(client: Client, bucket: string, continuation: string | null, pageSize: number): Promise<ListedPage> {
  // In sorted order, as the signature's canonical query expects.
  const query = [
    ...(continuation === null ? [] : [`continuation-token=${escape(continuation)}`]),
    'encoding-type=url',
    'list-type=2',
    `max-keys=${pageSize}`,
  ].join('&');
  const response = await client.makeRequestAsync({ method: 'GET', bucketName: bucket, query }, '', [200]);
  let xml = '';
  response.setEncoding('utf8');
  for await (const chunk of response) xml += chunk as string;
  return parseListPage(xml);
}

/**
 * Every object of a bucket in key order, a page at a time, the next page asked for while the
 * caller works on this one. Memory holds two pages at most.
 */
export async function* listBucketPages(client: Client, bucket: string, pageSize = 1000): AsyncGenerator<ListedObject[]> {
  let ahead = listPage(client, bucket, null, pageSize);
  for (;;) {
    const page = await ahead;
    if (page.next !== null) {
      ahead = listPage(client, bucket, page.next, pageSize);
      // Awaited on the next turn; a caller that stops early must not leave it unhandled.
      ahead.catch(() => undefined);
    }
    yield page.objects;
    if (page.next === null) return;
  }
}
