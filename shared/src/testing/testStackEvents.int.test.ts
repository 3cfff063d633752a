import { eventually } from './eventually';
import { localSettings } from './localServices';
import { readEndpoints } from './serviceEndpoints';
import { TestStack } from './testStack';
import { userCsv } from './userCsv';

const onLocalServices = readEndpoints().source === 'local' ? it : it.skip;

// infra/local's services serve the stack `make up` runs and every test stack at once. MinIO
// publishes the test stacks' events under a routing key of their own (infra/local/minio.sh), so
// the stack's own `ingest` queue, which collects what it is bound to while no worker runs, never
// fills with them.
describe("test stacks' events on infra/local's services", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
    await stack.topology.declare(await stack.channel());
  });
  afterAll(() => stack.dispose());

  onLocalServices("are published under a key of their own, never under the one make up's worker reads", async () => {
    const { exchange, routingKey, fastTargetId } = stack.services.notify;
    const production = localSettings().EVENTS_ROUTING_KEY!;
    expect(routingKey).not.toBe(production);
    const ch = await stack.channel();
    const { queue: probe } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(probe, exchange, production);

    await stack.put('isolated.csv', userCsv('Iso', 'Lated', 1));

    // The stack's queue is bound to its own key only: both targets' copies arrive there.
    const ofThisStack = (content: Buffer) => content.toString().includes(`"${stack.srcBucket}"`);
    let copies = 0;
    await eventually(
      async () => {
        copies += (await stack.drain(stack.queue)).filter((m) => ofThisStack(m.content)).length;
        expect(copies).toBe(fastTargetId ? 2 : 1);
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect((await stack.drain(probe)).filter((m) => ofThisStack(m.content))).toEqual([]);
  });
});
