import { TestStack } from '../testing';
import { findUserImage } from './userObjects';

describe('findUserImage', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
  });
  afterAll(() => stack.dispose());

  it('prefers the png, then the jpg, then the jpeg, and gives the ETag bare with the size', async () => {
    await stack.put('both.jpg', 'a jpg');
    await stack.put('both.png', 'a png');
    await stack.put('jpeg-only.jpeg', 'a jpeg');

    const png = await findUserImage(stack.minio, stack.srcBucket, 'both');
    expect(png).toEqual({ key: 'both.png', etag: await stack.etag('both.png'), size: 5 });
    expect(png?.etag).not.toMatch(/"/);
    expect((await findUserImage(stack.minio, stack.srcBucket, 'jpeg-only'))?.key).toBe('jpeg-only.jpeg');
  });

  it('answers null for a user without a picture', async () => {
    await stack.put('bare.csv', 'first_name,last_name,birthts\n');

    expect(await findUserImage(stack.minio, stack.srcBucket, 'bare')).toBeNull();
  });

  it('fails, rather than finding no picture, when the bucket itself is missing', async () => {
    await expect(findUserImage(stack.minio, `${stack.srcBucket}-missing`, 'anyone')).rejects.toThrow(/does not exist/);
  });
});
