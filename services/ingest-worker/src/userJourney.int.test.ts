import { eventually, expectedOutputCsv, TestStack, userCsv } from '@userpipe/shared/testing';
import { startTestWorker } from './testWorker';

// The six steps a user takes, end to end: real uploads to MinIO, real bucket notifications
// through RabbitMQ, a real worker writing Postgres and output.csv.
describe('a user drops files into the bucket', () => {
  let stack: TestStack;
  const ada = { user_id: '1000', first_name: 'Ada', last_name: 'Lovelace', birthts: 631152000000, img_path: null };

  beforeAll(async () => {
    stack = await TestStack.create();
    await startTestWorker(stack);
  });
  afterAll(() => stack.dispose());

  async function expectEverywhere(users: (typeof ada | { img_path: string; [k: string]: unknown })[]) {
    await eventually(async () => {
      expect(await stack.users()).toEqual(users);
      expect(await stack.outputCsv()).toBe(expectedOutputCsv(users as never));
    });
  }

  it('1-2. an uploaded csv becomes a row in Postgres and in output.csv', async () => {
    await stack.put('1000.csv', userCsv('Ada', 'Lovelace', 631152000000));
    await expectEverywhere([ada]);
  });

  it('3. an uploaded picture sets img_path in both places', async () => {
    await stack.put('1000.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await expectEverywhere([{ ...ada, img_path: `${stack.srcBucket}/1000.png` }]);
  });

  it('4. a new csv changes the row, which stays the only one for the user', async () => {
    await stack.put('1000.csv', userCsv('Augusta Ada', 'King', 631152000001));
    await expectEverywhere([{ ...ada, first_name: 'Augusta Ada', last_name: 'King', birthts: 631152000001, img_path: `${stack.srcBucket}/1000.png` }]);
  });

  it('5a. deleting the picture empties img_path (NULL in Postgres, empty cell in output.csv)', async () => {
    await stack.remove('1000.png');
    await expectEverywhere([{ ...ada, first_name: 'Augusta Ada', last_name: 'King', birthts: 631152000001 }]);
    expect(await stack.outputCsv()).toBe('user_id,first_name,last_name,birthts,img_path\n1000,Augusta Ada,King,631152000001,\n');
  });

  it('5b. deleting the csv removes the user from both', async () => {
    await stack.remove('1000.csv');
    await expectEverywhere([]);
    expect(await stack.outputCsv()).toBe('user_id,first_name,last_name,birthts,img_path\n');
  });

  it('5c. uploading the csv again after its delete brings the user back (the versioned bucket: a new version above the delete marker)', async () => {
    // The same bytes as before the delete, so the same ETag: the user's row, gone, no longer holds it.
    await stack.put('1000.csv', userCsv('Augusta Ada', 'King', 631152000001));
    await expectEverywhere([{ ...ada, first_name: 'Augusta Ada', last_name: 'King', birthts: 631152000001 }]);
    await stack.remove('1000.csv');
    await expectEverywhere([]);
  });

  it('6. a broken csv is recorded with key, ETag and reason; the last good row stays; others go on', async () => {
    await stack.put('1001.csv', userCsv('Grace', 'Hopper', -1987200000));
    const grace = { user_id: '1001', first_name: 'Grace', last_name: 'Hopper', birthts: -1987200000, img_path: null };
    await expectEverywhere([grace]);

    await stack.put('1001.csv', 'first_name,last_name,birthts\nGrace,Hopper,next tuesday\n');
    const etag = await stack.etag('1001.csv');
    await eventually(async () =>
      expect(await stack.rejections()).toEqual([
        { key: '1001.csv', user_id: '1001', etag, reason: expect.stringMatching(/birthts "next tuesday" is not a whole number/) },
      ]),
    );
    expect(await stack.users()).toEqual([grace]);

    await stack.put('1002.csv', userCsv("Zoë, \"the\" O'Neil", 'Ångström', 0));
    const zoe = { user_id: '1002', first_name: "Zoë, \"the\" O'Neil", last_name: 'Ångström', birthts: 0, img_path: null };
    await expectEverywhere([grace, zoe]);
    expect(await stack.outputCsv()).toContain('1002,"Zoë, ""the"" O\'Neil",Ångström,0,\n');
  });

  it('a good version of a rejected file clears its rejection', async () => {
    await stack.put('1001.csv', userCsv('Grace', 'Hopper', -1987200001));
    await eventually(async () => {
      expect(await stack.rejections()).toEqual([]);
      expect((await stack.user('1001'))?.birthts).toBe(-1987200001);
    });
  });

  it('rejects a csv over the size limit without reading it, keeping the last good row', async () => {
    const big = userCsv('Grace', 'Hopper', 1) + ' '.repeat(70_000);
    await stack.put('1001.csv', big);
    const etag = await stack.etag('1001.csv');
    await eventually(async () =>
      expect(await stack.rejections()).toEqual([
        { key: '1001.csv', user_id: '1001', etag, reason: `file is ${Buffer.byteLength(big)} bytes; the limit is 65536` },
      ]),
    );
    expect((await stack.user('1001'))?.birthts).toBe(-1987200001);
  });

  it('ignores keys that are not user files', async () => {
    const before = await stack.users();
    await stack.put('notes.txt', 'hello');
    await stack.put('archive/1003.csv', userCsv('Not', 'Imported', 0));
    await stack.queueSettled();
    expect(await stack.users()).toEqual(before);
  });
});
