import { reconcileUser, type ReconcileDeps } from '@userpipe/shared';
import { recordingReconcileDeps, TestStack, userCsv } from '@userpipe/shared/testing';
import { rebuildNow } from './testRebuild';

// A reconcile that leaves a user without a row notes it (docs/design.md, "Pictures from the
// listing"); only a rebuild that listed before the note needs it, so each rebuild forgets the older ones.
describe('absences noted for the rebuild', () => {
  let stack: TestStack;
  let deps: ReconcileDeps;
  const absences = async () => (await stack.db.query<{ user_id: string }>('SELECT user_id FROM user_absences ORDER BY user_id')).rows.map((r) => r.user_id);

  beforeAll(async () => {
    stack = await TestStack.create();
    ({ deps } = await recordingReconcileDeps(stack));
  });
  afterAll(() => stack.dispose());

  it('are noted for users deleted, or found without a usable csv, and forgotten by the next rebuild unless it notes them again', async () => {
    await stack.put('kept.csv', userCsv('Kept', 'K', 1));
    await stack.put('gone.csv', userCsv('Gone', 'G', 2));
    await reconcileUser(deps, 'kept');
    await reconcileUser(deps, 'gone');
    await stack.remove('gone.csv');
    await reconcileUser(deps, 'gone');
    await stack.put('picture-only.png', 'png');
    await reconcileUser(deps, 'picture-only');
    expect(await absences()).toEqual(['gone', 'picture-only']);

    await rebuildNow(stack);

    // The rebuild lists picture-only.png and reconciles that user again: still no csv, a new note.
    expect(await absences()).toEqual(['picture-only']);
  });
});
