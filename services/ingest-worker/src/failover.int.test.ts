import { eventually, TcpProxy, TestStack, userCsv } from '@userpipe/shared/testing';
import { startTestWorker } from './testWorker';

// A cluster of RabbitMQ nodes, as the worker sees one: several addresses. Here each "node" is a
// proxy in front of the one real RabbitMQ; stopping a proxy drops its connections and refuses new
// ones, as a killed node does. The ingest queue is a quorum queue, reachable from any node.
describe('the worker fails over between RabbitMQ nodes', () => {
  let stack: TestStack;
  let dead: TcpProxy;
  let first: TcpProxy;
  let second: TcpProxy;

  beforeAll(async () => {
    stack = await TestStack.create();
    const proxy = () => new TcpProxy(stack.services.rabbitmq).start();
    [dead, first, second] = [await proxy(), await proxy(), await proxy()];
    for (const node of [dead, first, second]) stack.onDispose(() => node.stop());
    await dead.stop();
    const nodes = [dead, first, second].map((node) => `127.0.0.1:${node.port}`).join(',');
    await startTestWorker(stack, { RABBITMQ_HOST: nodes });
  });
  afterAll(() => stack.dispose());

  it('starts on the first node that answers, skipping one that is down', async () => {
    await stack.put('1.csv', userCsv('On', 'First', 1));
    await eventually(async () => expect(await stack.user('1')).toMatchObject({ first_name: 'On' }));
    expect(first.connections).toBeGreaterThan(0);
    expect(second.connections).toBe(0);
  });

  it('moves to another node when its own dies, losing no event', async () => {
    await first.stop();
    await stack.put('2.csv', userCsv('On', 'Second', 2));
    await eventually(async () => expect(await stack.user('2')).toMatchObject({ last_name: 'Second' }));
    expect(second.connections).toBeGreaterThan(0);
  });
});
