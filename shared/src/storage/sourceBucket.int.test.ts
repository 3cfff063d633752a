import { decodeBucketEvent } from '../events/bucketEvent';
import { deleteEveryVersion, eventually, provisionStack, TestStack, userCsv } from '../testing';
import { isNotFound } from './userObjects';

/** The listing entries minio-js 8 gives with versions asked for (it does not type these fields). */
interface VersionEntry {
  name: string;
  versionId: string;
  isDeleteMarker: boolean;
  isLatest: boolean;
}

// The source bucket is versioned (infra/minio/provision), so that a DELETE writes a delete marker
// with write quorum, which distributed MinIO's heal cannot undo from a stale copy (docs/design.md,
// "A hole in the bucket itself"). The pipeline reads only current objects; these are the ways it
// reads, on a bucket provisioned by the same code as the real one.
describe('the versioned source bucket', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
    // As a worker would: the stack's queue, bound to MinIO's exchange, so the bucket's events wait there.
    await stack.topology.declare(await stack.channel());
  });
  afterAll(() => stack.dispose());

  const versions = async (bucket: string, prefix = ''): Promise<VersionEntry[]> => {
    const out: VersionEntry[] = [];
    for await (const item of stack.minio.listObjects(bucket, prefix, true, { IncludeVersion: true })) out.push(item);
    return out;
  };
  const refusedAsMissing = (request: Promise<unknown>): Promise<boolean> => request.then(() => false, isNotFound);
  const listed = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const item of stack.minio.listObjectsV2(stack.srcBucket, '', false)) if (item.name) keys.push(item.name);
    return keys;
  };

  it('is versioned and expires old versions, not lone delete markers; the result bucket is not versioned', async () => {
    expect(await stack.minio.getBucketVersioning(stack.srcBucket)).toMatchObject({ Status: 'Enabled' });
    expect(await stack.minio.getBucketLifecycle(stack.srcBucket)).toEqual({
      Rule: {
        ID: 'userpipe-expire-old-versions',
        Status: 'Enabled',
        Filter: { Prefix: '' },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    });
    // output.csv is rewritten on every burst: versioned, it would pile up versions for nothing.
    expect(await stack.minio.getBucketVersioning(stack.resBucket)).not.toEqual(expect.objectContaining({ Status: 'Enabled' }));
  });

  it('keeps that configuration when provisioned again', async () => {
    const before = await stack.minio.getBucketLifecycle(stack.srcBucket);
    await provisionStack(stack.services, stack.names);
    expect(await stack.minio.getBucketVersioning(stack.srcBucket)).toMatchObject({ Status: 'Enabled' });
    expect(await stack.minio.getBucketLifecycle(stack.srcBucket)).toEqual(before);
  });

  it('a delete leaves a delete marker, announced as a removal; HEAD, GET and the listing no longer see the key', async () => {
    await stack.put('7.csv', userCsv('Grace', 'Hopper', 1));
    await stack.drain(stack.queue);
    await stack.remove('7.csv');

    expect((await versions(stack.srcBucket, '7.')).map((v) => [v.isDeleteMarker, v.isLatest])).toEqual(
      expect.arrayContaining([
        [true, true],
        [false, false],
      ]),
    );
    // The worker's reads (userObjects.ts) take these for "no such object".
    expect(await refusedAsMissing(stack.minio.statObject(stack.srcBucket, '7.csv'))).toBe(true);
    expect(await refusedAsMissing(stack.minio.getObject(stack.srcBucket, '7.csv'))).toBe(true);
    expect(await listed()).not.toContain('7.csv');

    // What the worker is handed: the event MinIO sends for a delete marker, which carries a
    // version id but no ETag or size, decodes as a removal of the key, made when it was made.
    const removedBy = Date.now();
    await eventually(
      async () => {
        const records = (await stack.drain(stack.queue)).flatMap((m) => decodeBucketEvent(m.content));
        expect(records).toContainEqual({ eventName: 's3:ObjectRemoved:DeleteMarkerCreated', bucket: stack.srcBucket, key: '7.csv', eventTime: expect.any(Number) });
        const removal = records.find((r) => r.eventName === 's3:ObjectRemoved:DeleteMarkerCreated' && r.key === '7.csv')!;
        expect(Math.abs(removal.eventTime! - removedBy)).toBeLessThan(60_000);
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
  });

  it('an upload after the delete is the current object again', async () => {
    await stack.put('7.csv', userCsv('Grace', 'Hopper', 2));
    expect(await listed()).toContain('7.csv');
    expect(await stack.etag('7.csv')).toBeTruthy();
  });

  it('is emptied of every version and delete marker, so it can be removed', async () => {
    const bucket = `versions-${stack.id}`;
    await stack.minio.makeBucket(bucket);
    await stack.minio.setBucketVersioning(bucket, { Status: 'Enabled' });
    for (const body of ['a', 'b']) await stack.minio.putObject(bucket, '1.csv', Buffer.from(body), 1);
    await stack.minio.putObject(bucket, '2.csv', Buffer.from('c'), 1);
    await stack.minio.removeObject(bucket, '2.csv');
    expect(await versions(bucket)).toHaveLength(4);

    expect(await deleteEveryVersion(stack.minio, bucket)).toBe(4);
    await stack.minio.removeBucket(bucket);
    expect(await stack.minio.bucketExists(bucket)).toBe(false);
  });
});
