import { parseListPage } from './listBucket';

const page = (contents: string, tail = '<IsTruncated>false</IsTruncated>') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>src</Name><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>${tail}<EncodingType>url</EncodingType>${contents}</ListBucketResult>`;
const object = (key: string, etag: string) =>
  `<Contents><Key>${key}</Key><LastModified>2026-11-27T01:00:00.000Z</LastModified><ETag>${etag}</ETag><Size>3</Size><Owner><ID>x</ID><DisplayName>y</DisplayName></Owner><StorageClass>STANDARD</StorageClass></Contents>`;

describe('parseListPage: one ListObjectsV2 answer', () => {
  it('gives each key, URL-decoded, with its ETag bare', () => {
    const xml = page(object('1.csv', '&#34;abc&#34;') + object('a+b%2Bc%C3%A9.png', '"def-2"'));

    expect(parseListPage(xml)).toEqual({
      objects: [
        { name: '1.csv', etag: 'abc' },
        { name: 'a b+cé.png', etag: 'def-2' },
      ],
      next: null,
    });
  });

  it('gives the continuation token of a truncated page, and none of the last', () => {
    const truncated = '<IsTruncated>true</IsTruncated><ContinuationToken>old</ContinuationToken><NextContinuationToken>bmV4dA==</NextContinuationToken>';

    expect(parseListPage(page(object('1.csv', 'e'), truncated)).next).toBe('bmV4dA==');
    expect(parseListPage(page(object('1.csv', 'e'))).next).toBeNull();
  });

  it('reads an empty bucket as no objects', () => {
    expect(parseListPage(page(''))).toEqual({ objects: [], next: null });
  });

  it('refuses an answer that is no listing', () => {
    expect(() => parseListPage('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>')).toThrow(/ListBucketResult/);
  });
});
