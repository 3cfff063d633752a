import { createLogger } from '../logging/createLogger';
import { eventually, TcpProxy, TestStack } from '../testing';
import { RabbitmqNodes } from './rabbitmqNodes';
import { ResilientConsumer } from './resilientConsumer';

// A consumer whose node dies while it holds a message: the ack has no channel left. The message
// must come back (it was never acked) and be handled again, through another node, and the
// failed ack must not take the process down (a node-loss run's worker died so: an unhandled
// rejection of `Channel closed`).
describe('a consumer that loses its node while a message is in hand', () => {
  let stack: TestStack;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);

  beforeAll(async () => {
    stack = await TestStack.create();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await stack.dispose();
  });

  it('survives the lost ack, and the message is handled again through another node', async () => {
    const [first, second] = [await new TcpProxy(stack.services.rabbitmq).start(), await new TcpProxy(stack.services.rabbitmq).start()];
    stack.onDispose(() => first.stop());
    stack.onDispose(() => second.stop());
    const urlVia = (proxy: TcpProxy) => Object.assign(new URL(stack.amqpUrl()), { hostname: '127.0.0.1', port: String(proxy.port) }).toString();
    const queue = `${stack.queue}.consumer-test`;
    const topology = { queue, declare: async (ch: { assertQueue: (q: string, o: object) => Promise<unknown> }) => void (await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } })) };

    let handled = 0;
    let entered!: () => void;
    const inHand = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const consumer = new ResilientConsumer({
      nodes: new RabbitmqNodes([urlVia(first), urlVia(second)]),
      topology,
      prefetch: 1,
      handle: async () => {
        handled++;
        if (handled === 1) {
          entered();
          await released; // the node dies meanwhile
        }
      },
      logger: createLogger('consumer-test', 'silent'),
      connectionName: 'consumer-test',
    });
    await consumer.start();
    stack.onDispose(async () => {
      await consumer.stop();
      await (await stack.channel()).deleteQueue(queue);
    });

    await stack.sendToQueue(queue, 'work');
    await inHand;
    await first.stop();
    await eventually(async () => expect(consumer.connected).toBe(false)); // it knows its channel is gone
    release();

    await eventually(async () => expect(handled).toBe(2), { timeoutMs: 15_000 });
    await eventually(async () => expect(await stack.messageCount(queue)).toBe(0));
    expect(second.connections).toBeGreaterThan(0);
    expect(unhandled).toEqual([]);
  });
});
