import { advisoryLockWaiters, eventually, holdUserLocks, recordingReconcileDeps, TestStack, userCsv } from '../testing';
import type { ReconcileDeps } from './reconcileDeps';
import { reconcileUsers } from './reconcileUsers';

// A reconcile holds its users' locks from before it reads the bucket until it commits
// (docs/design.md, invariant 3). Whether it waits for a lock another transaction holds, or puts
// that user off and goes on with the others, is the caller's choice ("Put off, not waited for").
// The same whether its statements wait for one another or go out pipelined (inOrder).
describe.each([
  ['one after another', false],
  ['pipelined', true],
])("a reconcile and its users' locks, statements sent %s", (_, pipeline) => {
  let stack: TestStack;
  let deps: ReconcileDeps;

  beforeAll(async () => {
    stack = await TestStack.create();
    ({ deps } = await recordingReconcileDeps(stack, undefined, { pipeline }));
  });
  afterAll(() => stack.dispose());

  it('waits for a lock another transaction holds, then reads the bucket', async () => {
    await stack.put('held.csv', userCsv('Held', 'Waited', 1));
    const { release } = await holdUserLocks(deps.pool, 'held');
    const reconciling = reconcileUsers(deps, ['held']);
    await eventually(async () => expect(await advisoryLockWaiters(deps.pool)).toBe(1));
    expect(await stack.user('held')).toBeUndefined();

    await release();
    expect((await reconciling).map((r) => r.outcome)).toEqual(['inserted']);
    expect(await stack.user('held')).toMatchObject({ last_name: 'Waited' });
  });

  it('puts off a user whose lock is held, when allowed, and reconciles the others without waiting', async () => {
    for (const id of ['busy', 'free1', 'free2']) await stack.put(`${id}.csv`, userCsv(id, 'PutOff', 2));
    const { release } = await holdUserLocks(deps.pool, 'busy');
    const putOff: string[] = [];

    // Were it to wait for 'busy', this would not settle before the lock is released below.
    const results = await reconcileUsers(deps, ['free1', 'busy', 'free2'], { mayPutOff: { may: () => true, putOff: (ids) => putOff.push(...ids) } });

    expect(results.map((r) => r.userId)).toEqual(['free1', 'free2']);
    expect(putOff).toEqual(['busy']);
    expect(await stack.user('busy')).toBeUndefined();
    await release();
    expect(await stack.user('free1')).toMatchObject({ last_name: 'PutOff' });
  });

  it('still waits for the users it may not put off', async () => {
    for (const id of ['must', 'may']) await stack.put(`${id}.csv`, userCsv(id, 'Mixed', 3));
    const mustHeld = await holdUserLocks(deps.pool, 'must');
    const mayHeld = await holdUserLocks(deps.pool, 'may');
    const putOff: string[] = [];
    const reconciling = reconcileUsers(deps, ['must', 'may'], { mayPutOff: { may: (id) => id === 'may', putOff: (ids) => putOff.push(...ids) } });
    await eventually(async () => expect(await advisoryLockWaiters(deps.pool)).toBe(1));

    // 'may' is free before 'must' is: tried only once 'must' is held, it is not put off. (Freed
    // by one commit, the two would race: Postgres releases a transaction's locks one by one.)
    await mayHeld.release();
    await mustHeld.release();
    expect((await reconciling).map((r) => r.userId)).toEqual(['may', 'must']);
    expect(putOff).toEqual([]);
  });
});
