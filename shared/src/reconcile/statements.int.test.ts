import { reconcileUsers } from './reconcileUsers';
import { countingPool, recordingReconcileDeps, TestStack, userCsv } from '../testing';
import type { ReconcileDeps } from './reconcileDeps';

// Reconcile writes set-wise (docs/design.md, invariant 8): a batch costs the same statements
// whether it holds ten users or a hundred, so Postgres work per user falls as batches grow.
describe('the statements a batch costs', () => {
  let stack: TestStack;
  let deps: ReconcileDeps;
  let statements: string[];

  beforeAll(async () => {
    stack = await TestStack.create();
    const recorded = await recordingReconcileDeps(stack);
    ({ pool: recorded.deps.pool, statements } = countingPool(recorded.deps.pool));
    deps = recorded.deps;
  });
  afterAll(() => stack.dispose());

  /** Puts users a..a+n-1 in the bucket: a csv each, every third also a png, every fifth a bad csv. */
  async function putUsers(first: number, n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => `u${first + i}`);
    await Promise.all(
      ids.map(async (id, i) => {
        await stack.put(`${id}.csv`, i % 5 === 4 ? 'first_name,last_name\nno,birthts\n' : userCsv(id, 'Last', i));
        if (i % 3 === 0) await stack.put(`${id}.png`, 'png');
      }),
    );
    return ids;
  }

  async function statementsFor(ids: string[]): Promise<string[]> {
    statements.length = 0;
    await reconcileUsers(deps, ids);
    return [...statements];
  }

  it('is the same for 10 new users as for 100', async () => {
    const ten = await statementsFor(await putUsers(0, 10));
    const hundred = await statementsFor(await putUsers(100, 100));
    expect(hundred).toEqual(ten);
    expect((await stack.users()).length).toBe(88); // every fifth csv is refused
  });

  it('is the same for 10 updates and deletes as for 100', async () => {
    const update = async (first: number, n: number) => {
      const ids = Array.from({ length: n }, (_, i) => `u${first + i}`);
      await Promise.all(ids.map((id, i) => (i % 2 === 0 ? stack.remove(`${id}.csv`) : stack.put(`${id}.csv`, userCsv(id, 'Changed', i)))));
      return ids;
    };
    const ten = await statementsFor(await update(0, 10));
    const hundred = await statementsFor(await update(100, 100));
    expect(hundred).toEqual(ten);
  });
});
