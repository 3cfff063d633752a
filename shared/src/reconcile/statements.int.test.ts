import { reconcileUsers, type ReconcileOptions } from './reconcileUsers';
import { countingPool, recordingReconcileDeps, TestStack, userCsv, type StatementCount } from '../testing';
import type { ReconcileDeps } from './reconcileDeps';

// Reconcile writes set-wise (docs/design.md, invariant 8): a batch costs the same statements
// whether it holds ten users or a hundred, so Postgres work per user falls as batches grow. The
// same statements whether they wait for one another or go out pipelined (inOrder).
describe.each([
  ['one after another', false],
  ['pipelined', true],
])('the statements a batch costs, sent %s', (_, pipeline) => {
  let stack: TestStack;
  let deps: ReconcileDeps;
  let count: StatementCount;

  beforeAll(async () => {
    stack = await TestStack.create();
    const recorded = await recordingReconcileDeps(stack, undefined, { pipeline });
    ({ pool: recorded.deps.pool, count } = countingPool(recorded.deps.pool));
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

  async function statementsFor(ids: string[], opts: ReconcileOptions = {}): Promise<string[]> {
    return (await countFor(ids, opts)).statements;
  }

  async function countFor(ids: string[], opts: ReconcileOptions = {}): Promise<StatementCount> {
    count.statements.length = 0;
    count.roundTrips = 0;
    await reconcileUsers(deps, ids, opts);
    return { statements: [...count.statements], roundTrips: count.roundTrips };
  }

  /** The statements that read the users' rows or rejections. */
  const reads = (sql: string[]) => sql.filter((s) => /^\s*SELECT/i.test(s) && /\b(users|rejected_files)\b/.test(s));
  const clears = (sql: string[]) => sql.filter((s) => /DELETE FROM rejected_files/.test(s));

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

  it('reads its users once under their locks, for the skip rule and the decisions alike', async () => {
    const ids = await putUsers(300, 5);
    const asked: string[] = [];
    const sql = await statementsFor(ids, { stillToDo: (id) => (asked.push(id), true) });
    expect(asked.sort()).toEqual([...ids].sort());
    expect(reads(sql)).toHaveLength(1);
  });

  it('clears a rejection only where one is recorded', async () => {
    const [good, refused] = ['u400', 'u401'];
    const rejected = async () => (await stack.rejections()).map((r) => r.key).filter((key) => key.startsWith('u40'));
    await stack.put(`${good}.csv`, userCsv(good, 'Good', 1));
    await stack.put(`${refused}.csv`, 'first_name,last_name\nno,birthts\n');
    expect(clears(await statementsFor([good, refused]))).toEqual([]);
    expect(await rejected()).toEqual([`${refused}.csv`]);

    await stack.put(`${refused}.csv`, userCsv(refused, 'Fixed', 2));
    expect(clears(await statementsFor([good, refused]))).toHaveLength(1);
    expect(await rejected()).toEqual([]);
  });

  // A round trip costs a millisecond or so on a loaded machine, the most of a batch's time
  // in Postgres when the queue is short (docs/scaling.md, "Round trips").
  it(pipeline ? 'costs two round trips when it writes: one to lock and read, one to write and commit' : 'costs a round trip per statement', async () => {
    const { statements, roundTrips } = await countFor(await putUsers(500, 6));
    expect(statements.filter((sql) => /INSERT INTO users/.test(sql))).toHaveLength(1);
    expect(roundTrips).toBe(pipeline ? 2 : statements.length);
  });

  it(pipeline ? 'costs two round trips when everything is applied already: the reads, then the COMMIT' : 'costs a round trip per statement when everything is applied already', async () => {
    const ids = await putUsers(600, 3);
    await reconcileUsers(deps, ids);
    const { statements, roundTrips } = await countFor(ids, { stillToDo: () => false });
    expect(statements.some((sql) => /INSERT INTO users/.test(sql))).toBe(false);
    expect(roundTrips).toBe(pipeline ? 2 : statements.length);
  });
});
