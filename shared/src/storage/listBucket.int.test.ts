import type { BucketItem } from 'minio';
import { TestStack } from '../testing';
import { bareEtag } from './userObjects';
import { listBucketPages } from './listBucket';

describe('listBucketPages', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
  });
  afterAll(() => stack.dispose());

  const ours = async (pageSize: number) => {
    const pages: { name: string; etag: string }[][] = [];
    for await (const page of listBucketPages(stack.minio, stack.srcBucket, pageSize)) pages.push(page);
    return pages;
  };
  const minioJs = async () => {
    const objects: { name: string; etag: string }[] = [];
    for await (const item of stack.minio.listObjectsV2(stack.srcBucket, '', true) as AsyncIterable<BucketItem>) objects.push({ name: item.name!, etag: bareEtag(item.etag ?? '') });
    return objects;
  };

  it('lists what minio-js lists, keys of every shape and across pages, in key order', async () => {
    const keys = ['1.csv', '1.png', 'a b.csv', 'a+b.csv', 'x&y<z>.csv', 'quote"\'.csv', 'é ü 漢.csv', '100%.png', 'dir/inner.csv', 'dir/deeper/k.csv', 'tab\there.csv'];
    for (const key of keys) await stack.put(key, `body of ${key}`);

    const pages = await ours(3);

    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 2]);
    expect(pages.flat()).toEqual(await minioJs());
    expect(pages.flat().map((o) => o.name).sort()).toEqual([...keys].sort());
  });

  it('lists an empty bucket as one empty page', async () => {
    const empty = await TestStack.create();
    try {
      const pages: unknown[][] = [];
      for await (const page of listBucketPages(empty.minio, empty.srcBucket)) pages.push(page);
      expect(pages).toEqual([[]]);
    } finally {
      await empty.dispose();
    }
  });

  it('fails, rather than listing nothing, when the bucket is missing', async () => {
    const pages = listBucketPages(stack.minio, `${stack.srcBucket}-missing`);
    await expect(pages.next()).rejects.toThrow(/does not exist/);
  });
});
