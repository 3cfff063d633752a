import Papa from 'papaparse';
import { eventually, expectedOutputCsv, TestStack, userCsv } from '@userpipe/shared/testing';
import { startTestWorker } from './testWorker';

async function exportsDone(workerUrl: string): Promise<number> {
  const text = await (await fetch(`${workerUrl}/metrics`)).text();
  return Number(/^userpipe_exports_total\{result="ok"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

describe('output.csv', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
  });
  afterAll(() => stack.dispose());

  it('coalesces a burst of changes into far fewer exports, and ends equal to the table', async () => {
    const worker = await startTestWorker(stack, { EXPORT_DEBOUNCE_MS: '100', EXPORT_MAX_DELAY_MS: '1000' });
    // Stopped however this test ends: a leader left running would hold the export lock, and the
    // next test's replicas would wait for it in vain.
    try {
      await eventually(async () => expect(await exportsDone(worker.url)).toBe(1)); // the new leader's first export
      const n = 200;
      const reads: string[] = [];
      let reading = true;
      const reader = (async () => {
        while (reading) {
          const text = await stack.outputCsv();
          if (text !== null) reads.push(text);
        }
      })();
      await Promise.all(
        Array.from({ length: 4 }, async (_, lane) => {
          for (let i = lane; i < n; i += 4) await stack.put(`u${String(i).padStart(4, '0')}.csv`, userCsv(`First, ${i}`, `"Last" ${i}`, i));
        }),
      );
      await eventually(async () => {
        const users = await stack.users();
        expect(users).toHaveLength(n);
        expect(await stack.outputCsv()).toBe(expectedOutputCsv(users));
      });
      reading = false;
      await reader;
      // The export whose file was just read is counted once it has recorded itself, a moment
      // after its upload: read the count until it shows, not once (CI once read it in between).
      const exports = await eventually(async () => {
        const done = (await exportsDone(worker.url)) - 1;
        expect(done).toBeGreaterThan(0);
        return done;
      });
      expect(exports).toBeLessThan(n / 5);

      // Every read saw one whole snapshot: a header, whole rows, ids unique and in order.
      expect(reads.length).toBeGreaterThan(0);
      for (const text of reads) {
        const { data, errors } = Papa.parse<string[]>(text.trimEnd(), { header: false });
        expect(errors).toEqual([]);
        expect(data[0]).toEqual(['user_id', 'first_name', 'last_name', 'birthts', 'img_path']);
        const ids = data.slice(1).map((row) => {
          expect(row).toHaveLength(5);
          return row[0]!;
        });
        expect(ids).toEqual([...new Set(ids)].sort());
      }
    } finally {
      await worker.stop();
    }
  });

  it('is written by one leader among replicas; another takes over when it stops', async () => {
    const a = await startTestWorker(stack);
    const b = await startTestWorker(stack);
    await eventually(async () => expect([a.exporter.isLeader, b.exporter.isLeader].filter(Boolean)).toHaveLength(1));
    const [leader, follower] = a.exporter.isLeader ? [a, b] : [b, a];
    await leader.stop();
    await eventually(async () => expect(follower.exporter.isLeader).toBe(true), { timeoutMs: 10_000 });
    await stack.put('after-failover.csv', userCsv('Still', 'Exported', 1));
    await eventually(async () => expect(await stack.outputCsv()).toContain('after-failover,Still,Exported,1,'));
  });

  it('is rewritten when somebody deletes it', async () => {
    await stack.minio.removeObject(stack.resBucket, 'output.csv');
    await stack.put('trigger.csv', userCsv('Any', 'Change', 1));
    await eventually(async () => expect(await stack.outputCsv()).toContain('trigger,Any,Change,1,'));
  });
});
