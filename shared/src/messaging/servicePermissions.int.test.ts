import amqp, { type ConfirmChannel } from 'amqplib';
import { eventually, TestStack } from '../testing';
import { rebuildTopology } from './rebuildTopology';
import { publishConfirmed } from './publishConfirmed';

/**
 * Runs one operation on a fresh channel with a login; returns null when RabbitMQ allowed it, or
 * the error it closed the channel with.
 */
async function attempt(url: string, op: (ch: ConfirmChannel) => Promise<unknown>): Promise<string | null> {
  const connection = await amqp.connect(url);
  connection.on('error', () => undefined);
  try {
    const ch = await connection.createConfirmChannel();
    let closedWith: string | undefined;
    const closed = new Promise<void>((resolve) => {
      ch.on('error', (err: Error) => (closedWith = err.message));
      ch.on('close', () => resolve());
    });
    try {
      await op(ch);
      return null;
    } catch (err) {
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
      return closedWith ?? (err as Error).message;
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

const publish = (exchange: string, routingKey: string) => (ch: ConfirmChannel) =>
  publishConfirmed(ch, exchange, routingKey, Buffer.from('{}'), { persistent: true });
const REFUSED = /ACCESS.REFUSED/;

// Each service's RabbitMQ user may do what that service does and nothing else. The permissions
// are infra/rabbitmq/users.sh's, for this test stack's queues, as the real stack's are for its own.
describe("the services' RabbitMQ users", () => {
  let stack: TestStack;
  let api: string;
  let worker: string;

  beforeAll(async () => {
    stack = await TestStack.create();
    if (!stack.hasRabbitmqUsers) throw new Error('these services cannot give a test stack RabbitMQ users of its own (TEST_AMQP_URL)');
    api = stack.amqpUrl('query');
    worker = stack.amqpUrl('worker');
    // The ingest queue exists, as after a worker started.
    await stack.topology.declare(await stack.channel());
  });
  afterAll(() => stack.dispose());

  describe('the query API', () => {
    it('announces a rebuild job on the rebuild requests exchange, which reaches the rebuild queue', async () => {
      expect(await attempt(api, publish(rebuildTopology(stack.rebuildQueue).exchange, ''))).toBeNull();
      await eventually(async () => expect(await stack.drain(stack.rebuildQueue)).toHaveLength(1));
    });

    it('cannot publish to the ingest queue, or any queue, through the default exchange', async () => {
      expect(await attempt(api, publish('', stack.queue))).toMatch(REFUSED);
      expect(await attempt(api, publish('', stack.rebuildQueue))).toMatch(REFUSED);
    });

    it('cannot publish to the bucket events exchange', async () => {
      expect(await attempt(api, publish(stack.services.notify.exchange, stack.services.notify.routingKey))).toMatch(REFUSED);
    });

    it('cannot consume, not even the rebuild queue', async () => {
      expect(await attempt(api, (ch) => ch.consume(stack.rebuildQueue, () => undefined))).toMatch(REFUSED);
      expect(await attempt(api, (ch) => ch.get(stack.queue))).toMatch(REFUSED);
    });

    it('cannot declare, bind or delete', async () => {
      expect(await attempt(api, (ch) => ch.assertQueue(stack.rebuildQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } }))).toMatch(REFUSED);
      expect(await attempt(api, (ch) => ch.bindQueue(stack.queue, rebuildTopology(stack.rebuildQueue).exchange, ''))).toMatch(REFUSED);
      expect(await attempt(api, (ch) => ch.deleteQueue(stack.rebuildQueue))).toMatch(REFUSED);
      expect(await attempt(api, (ch) => ch.deleteExchange(rebuildTopology(stack.rebuildQueue).exchange))).toMatch(REFUSED);
      expect(await stack.messageCount(stack.rebuildQueue)).toBe(0);
    });
  });

  describe('the ingest worker', () => {
    it('declares its queues, delay queues, dead-letter queue and binding', async () => {
      expect(await attempt(worker, (ch) => stack.topology.declare(ch))).toBeNull();
    });

    it('consumes its own queue only', async () => {
      expect(await attempt(worker, (ch) => ch.get(stack.queue))).toBeNull();
      expect(await attempt(worker, (ch) => ch.consume(stack.rebuildQueue, () => undefined))).toMatch(REFUSED);
      expect(await attempt(worker, (ch) => ch.get(stack.topology.deadLetterQueue))).toMatch(REFUSED);
    });

    it('declares no queue but its own', async () => {
      expect(await attempt(worker, (ch) => ch.assertQueue(`other-${stack.id}`))).toMatch(REFUSED);
      expect(await attempt(worker, (ch) => ch.deleteQueue(stack.rebuildQueue))).toMatch(REFUSED);
    });

    it('cannot announce rebuild jobs', async () => {
      expect(await attempt(worker, publish(rebuildTopology(stack.rebuildQueue).exchange, ''))).toMatch(REFUSED);
    });
  });

  describe('the rebuild', () => {
    it('cannot publish at all, nor consume the ingest queue', async () => {
      const rebuild = stack.amqpUrl('rebuild');
      expect(await attempt(rebuild, publish('', stack.queue))).toMatch(REFUSED);
      expect(await attempt(rebuild, publish(rebuildTopology(stack.rebuildQueue).exchange, ''))).toMatch(REFUSED);
      expect(await attempt(rebuild, (ch) => ch.get(stack.queue))).toMatch(REFUSED);
    });
  });
});
