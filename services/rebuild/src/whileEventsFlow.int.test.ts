import { startTestWorker } from '@userpipe/ingest-worker/testing';
import { eventually, expectedOutputCsv, TestStack, userCsv, usersFromBucket } from '@userpipe/shared/testing';
import { rebuildNow } from './testRebuild';

describe('a rebuild while the worker handles a stream of uploads and deletes', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
    await startTestWorker(stack);
    for (let i = 0; i < 200; i++) await stack.put(`w${i}.csv`, userCsv(`Start${i}`, 'User', i));
    await eventually(async () => expect(await stack.users()).toHaveLength(200));
  });
  afterAll(() => stack.dispose());

  it('ends with Postgres and output.csv consistent with the bucket', async () => {
    let churning = true;
    const churn = (async () => {
      for (let round = 0; churning; round++) {
        const i = round % 200;
        if (round % 3 === 0) await stack.remove(`w${i}.csv`);
        else await stack.put(`w${i}.csv`, userCsv(`Round${round}`, 'User', round));
        if (round % 5 === 0) await stack.put(`w${i}.png`, 'png');
        if (round % 7 === 0) await stack.remove(`w${(i + 3) % 200}.png`);
      }
    })();
    const { summary, ok } = await rebuildNow(stack, { full: true, settings: { REBUILD_CONCURRENCY: '4' } });
    churning = false;
    await churn;
    expect(ok).toBe(true);
    expect(summary.seen).toBeGreaterThanOrEqual(150);
    await stack.queueSettled();
    await eventually(async () => {
      const truth = await usersFromBucket(stack);
      expect(await stack.users()).toEqual(truth);
      expect(await stack.outputCsv()).toBe(expectedOutputCsv(truth));
    });
  });
});
