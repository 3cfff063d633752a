import { recordingMinioClient, TestStack, userCsv, type ObjectCall } from '@userpipe/shared/testing';
import { rebuildNow } from './testRebuild';

// What a rebuild asks of the object store: its listing, and a csv only where it must read one.
describe('object calls of a rebuild', () => {
  let stack: TestStack;
  let calls: ObjectCall[] = [];
  const rebuild = (full: boolean) => {
    calls = [];
    return rebuildNow(stack, {
      full,
      minio: (client) => {
        const recording = recordingMinioClient(client);
        calls = recording.calls;
        return recording.client;
      },
    });
  };
  const count = (method: string, suffix = '') => calls.filter((c) => c.method === method && c.key.endsWith(suffix)).length;
  // The export's check that its bucket exists is a HEAD of the bucket, not of an object.
  const objectHeads = () => calls.filter((c) => c.method === 'HEAD' && c.key !== '').length;

  beforeAll(async () => {
    stack = await TestStack.create();
    for (let i = 0; i < 20; i++) await stack.put(`u${i}.csv`, userCsv(`First${i}`, 'Last', i));
    for (let i = 0; i < 20; i += 2) await stack.put(`u${i}.png`, 'png');
    await stack.put('u1.jpeg', 'jpeg');
  });
  afterAll(() => stack.dispose());

  it('a full rebuild into an empty table reads each csv once and takes every picture from its listing: no HEAD (nothing left a user rowless since it listed)', async () => {
    const { summary } = await rebuild(true);
    expect(summary).toMatchObject({ inserted: 20, failed: 0 });
    expect(count('GET', '.csv')).toBe(20);
    expect(objectHeads()).toBe(0);
    const users = await stack.users();
    expect(users.filter((u) => u.img_path !== null).map((u) => u.img_path).sort()).toEqual(
      [...['u0', 'u2', 'u4', 'u6', 'u8', 'u10', 'u12', 'u14', 'u16', 'u18'].map((id) => `${stack.srcBucket}/${id}.png`), `${stack.srcBucket}/u1.jpeg`].sort(),
    );
  });

  it('a full rebuild over it reads each csv again and takes every picture from its listing: no HEAD', async () => {
    const { summary } = await rebuild(true);
    expect(summary).toMatchObject({ unchanged: 20, failed: 0 });
    expect(count('GET', '.csv')).toBe(20);
    expect(objectHeads()).toBe(0);
  });

  it('a default rebuild of the unchanged bucket only lists it (and writes output.csv)', async () => {
    const { summary } = await rebuild(false);
    expect(summary).toMatchObject({ unchanged: 20, csvReads: 0 });
    expect(count('GET', '.csv')).toBe(0);
    expect(objectHeads()).toBe(0);
  });
});
