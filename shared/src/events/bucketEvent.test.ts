import { decodeBucketEvent, decodeObjectKey, EventDecodeError } from './bucketEvent';

/** A notification shaped as MinIO sends it (trimmed of fields we never read). */
function notification(eventName: string, key: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    EventName: eventName,
    Key: `src/${key}`,
    Records: [
      {
        eventVersion: '2.0',
        eventSource: 'minio:s3',
        eventTime: '2026-11-24T10:00:00.000Z',
        eventName,
        s3: { s3SchemaVersion: '1.0', bucket: { name: 'src', arn: 'arn:aws:s3:::src' }, object: { key, ...extra } },
      },
    ],
  });
}

describe('decodeObjectKey', () => {
  it.each([
    ['1000.csv', '1000.csv'],
    ['john+doe.csv', 'john doe.csv'],
    ['a%2Bb.csv', 'a+b.csv'],
    ['dir%2F1000.csv', 'dir/1000.csv'],
    ['Zo%C3%AB.csv', 'Zoë.csv'],
    ['100%25.csv', '100%.csv'],
  ])('decodes %s as %s', (escaped, plain) => {
    expect(decodeObjectKey(escaped)).toBe(plain);
  });

  it('rejects a broken escape', () => {
    expect(() => decodeObjectKey('bad%zz.csv')).toThrow(EventDecodeError);
  });
});

describe('decodeBucketEvent', () => {
  it.each([
    's3:ObjectCreated:Put',
    's3:ObjectCreated:CompleteMultipartUpload',
    's3:ObjectCreated:Copy',
    's3:ObjectCreated:PutTagging',
    's3:ObjectRemoved:Delete',
    's3:ObjectRemoved:DeleteMarkerCreated',
    's3:ObjectRemoved:NoOP',
  ])('reads the bucket, key and ETag of %s', (eventName) => {
    expect(decodeBucketEvent(Buffer.from(notification(eventName, '1000.csv', { eTag: 'abc', size: 12 })))).toEqual([
      { eventName, bucket: 'src', key: '1000.csv', etag: 'abc', eventTime: Date.UTC(2026, 10, 24, 10) },
    ]);
  });

  it('reads a quoted or multipart ETag bare', () => {
    expect(decodeBucketEvent(notification('s3:ObjectCreated:CompleteMultipartUpload', '1.csv', { eTag: '"d41d8cd98f00b204e9800998ecf8427e-2"' }))[0]?.etag).toBe(
      'd41d8cd98f00b204e9800998ecf8427e-2',
    );
  });

  it('decodes an escaped key', () => {
    expect(decodeBucketEvent(notification('s3:ObjectCreated:Put', 'john+doe%2B1.csv'))[0]?.key).toBe('john doe+1.csv');
  });

  it('accepts a remove event, which has no ETag or size', () => {
    expect(decodeBucketEvent(notification('s3:ObjectRemoved:Delete', '1000.png'))).toEqual([{ eventName: 's3:ObjectRemoved:Delete', bucket: 'src', key: '1000.png', eventTime: Date.UTC(2026, 10, 24, 10) }]);
  });

  it('accepts the event of a delete in a versioned bucket: a delete marker, with a version id and no ETag or size', () => {
    expect(decodeBucketEvent(notification('s3:ObjectRemoved:DeleteMarkerCreated', '1000.csv', { versionId: '5c08cc11-e235-4518-8b0e-ca45538b4838', sequencer: '1879' }))).toEqual([
      { eventName: 's3:ObjectRemoved:DeleteMarkerCreated', bucket: 'src', key: '1000.csv', eventTime: Date.UTC(2026, 10, 24, 10) },
    ]);
  });

  it.each([
    ['without', undefined],
    ['with an unreadable', 'yesterday'],
  ])('reads a record %s eventTime as one whose time is not known', (_what, eventTime) => {
    const body = { Records: [{ eventName: 's3:ObjectCreated:Put', eventTime, s3: { bucket: { name: 'src' }, object: { key: '1.csv', eTag: 'abc' } } }] };
    expect(decodeBucketEvent(JSON.stringify(body))).toEqual([{ eventName: 's3:ObjectCreated:Put', bucket: 'src', key: '1.csv', etag: 'abc' }]);
  });

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['JSON without Records', '{"foo":1}', /no Records/],
    ['a record without a key', '{"Records":[{"eventName":"s3:ObjectCreated:Put","s3":{"bucket":{"name":"src"},"object":{}}}]}', /record 0 lacks/],
    ['a record that is not an object', '{"Records":[42]}', /record 0 lacks/],
  ])('rejects %s', (_what, body, message) => {
    expect(() => decodeBucketEvent(body)).toThrow(message);
  });
});
