import { Readable } from 'node:stream';
import * as Minio from 'minio';
import { TestStack, type ServiceName } from '../testing';

// Each service's MinIO user may do what that service does and nothing else. The policies are
// infra/minio/policies, applied by infra/minio/provision: the same for the real stack and for
// this test stack's buckets.
describe("the services' MinIO users", () => {
  let stack: TestStack;
  const denied = { code: 'AccessDenied' };
  const body = Buffer.from('first_name,last_name,birthts\nAda,Lovelace,0\n');

  beforeAll(async () => {
    stack = await TestStack.create();
    // What people and the exporter put there, written with the root account.
    await stack.put('1.csv', body);
    await stack.minio.putObject(stack.resBucket, 'output.csv', body, body.length);
  });
  afterAll(() => stack.dispose());

  const as = (service: ServiceName) => stack.minioAs(service);
  const read = async (client: Minio.Client, bucket: string, key: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of await client.getObject(bucket, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  describe('the query API', () => {
    it('reads src', async () => {
      expect(await read(as('query'), stack.srcBucket, '1.csv')).toEqual(body);
      const keys: string[] = [];
      for await (const item of as('query').listObjectsV2(stack.srcBucket, '', true)) keys.push(item.name);
      expect(keys).toEqual(['1.csv']);
    });

    it('cannot write or delete in src', async () => {
      await expect(as('query').putObject(stack.srcBucket, '2.csv', body, body.length)).rejects.toMatchObject(denied);
      await expect(as('query').putObject(stack.srcBucket, '1.csv', body, body.length)).rejects.toMatchObject(denied);
      await expect(as('query').removeObject(stack.srcBucket, '1.csv')).rejects.toMatchObject(denied);
      expect(await stack.etag('1.csv')).toBeTruthy();
    });

    it('cannot read or write res', async () => {
      await expect(read(as('query'), stack.resBucket, 'output.csv')).rejects.toMatchObject(denied);
      await expect(as('query').putObject(stack.resBucket, 'output.csv', body, body.length)).rejects.toMatchObject(denied);
      await expect(as('query').removeObject(stack.resBucket, 'output.csv')).rejects.toMatchObject(denied);
    });
  });

  describe('the ingest worker', () => {
    it('reads src', async () => {
      expect(await read(as('worker'), stack.srcBucket, '1.csv')).toEqual(body);
      expect((await as('worker').statObject(stack.srcBucket, '1.csv')).size).toBe(body.length);
      expect(await as('worker').bucketExists(stack.srcBucket)).toBe(true);
    });

    it('cannot write or delete in src', async () => {
      await expect(as('worker').putObject(stack.srcBucket, '2.csv', body, body.length)).rejects.toMatchObject(denied);
      await expect(as('worker').putObject(stack.srcBucket, '1.csv', body, body.length)).rejects.toMatchObject(denied);
      await expect(as('worker').removeObject(stack.srcBucket, '1.csv')).rejects.toMatchObject(denied);
      await expect(as('worker').removeObjects(stack.srcBucket, ['1.csv'])).resolves.toEqual([expect.objectContaining({ Code: 'AccessDenied' })]);
      expect(await stack.etag('1.csv')).toBeTruthy();
    });

    it('writes output.csv in res, in one PUT or in parts, and nothing else there', async () => {
      await as('worker').putObject(stack.resBucket, 'output.csv', body, body.length);
      // A large output.csv is a multipart upload (parts of 5 MiB here instead of 64).
      const { minio } = stack.services;
      const { accessKey, secretKey } = stack.logins.worker.minio;
      const parts = new Minio.Client({ endPoint: minio.host, port: minio.port, useSSL: false, region: 'us-east-1', accessKey, secretKey, partSize: 5 * 1024 * 1024 });
      const large = Buffer.alloc(6 * 1024 * 1024, 'a');
      await parts.putObject(stack.resBucket, 'output.csv', Readable.from([large]), large.length);
      expect((await stack.minio.statObject(stack.resBucket, 'output.csv')).size).toBe(large.length);
      await expect(as('worker').putObject(stack.resBucket, 'other.csv', body, body.length)).rejects.toMatchObject(denied);
      await expect(read(as('worker'), stack.resBucket, 'output.csv')).rejects.toMatchObject(denied);
    });

    it('cannot create buckets or change what the source bucket publishes', async () => {
      await expect(as('worker').makeBucket(`other-${stack.id}`)).rejects.toMatchObject(denied);
      await expect(as('worker').setBucketNotification(stack.srcBucket, new Minio.NotificationConfig())).rejects.toMatchObject(denied);
      expect((await stack.minio.getBucketNotification(stack.srcBucket)).QueueConfiguration).not.toHaveLength(0);
    });
  });

  describe('the rebuild', () => {
    it('lists and reads src and writes output.csv', async () => {
      const keys: string[] = [];
      for await (const item of as('rebuild').listObjectsV2(stack.srcBucket, '', false)) keys.push(item.name);
      expect(keys).toEqual(['1.csv']);
      expect(await read(as('rebuild'), stack.srcBucket, '1.csv')).toEqual(body);
      expect(await as('rebuild').bucketExists(stack.resBucket)).toBe(true);
      await as('rebuild').putObject(stack.resBucket, 'output.csv', body, body.length);
    });

    it('cannot write or delete in src', async () => {
      await expect(as('rebuild').putObject(stack.srcBucket, '2.csv', body, body.length)).rejects.toMatchObject(denied);
      await expect(as('rebuild').removeObject(stack.srcBucket, '1.csv')).rejects.toMatchObject(denied);
    });
  });
});
