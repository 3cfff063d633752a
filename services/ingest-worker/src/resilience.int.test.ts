import { eventually, TcpProxy, TestStack, userCsv } from '@userpipe/shared/testing';
import { startTestWorker } from './testWorker';

// The worker reaches RabbitMQ and Postgres through proxies the test can cut, as a broker or
// database restart would cut every connection, while the real services stay up for the rest.
describe('the worker survives lost connections', () => {
  let stack: TestStack;
  let rabbit: TcpProxy;
  let postgres: TcpProxy;

  beforeAll(async () => {
    stack = await TestStack.create();
    rabbit = await new TcpProxy(stack.services.rabbitmq).start();
    postgres = await new TcpProxy(stack.services.postgres).start();
    stack.onDispose(() => rabbit.stop());
    stack.onDispose(() => postgres.stop());
    await startTestWorker(stack, { RABBITMQ_HOST: '127.0.0.1', RABBITMQ_PORT: String(rabbit.port), POSTGRES_HOST: '127.0.0.1', POSTGRES_PORT: String(postgres.port) });
    await stack.put('1.csv', userCsv('Before', 'Cut', 1));
    await eventually(async () => expect(await stack.user('1')).toBeDefined());
  });
  afterAll(() => stack.dispose());

  it('reconnects to RabbitMQ and goes on consuming, losing no event', async () => {
    expect(rabbit.cutAll()).toBeGreaterThan(0);
    await stack.put('2.csv', userCsv('After', 'RabbitCut', 2));
    await eventually(async () => expect(await stack.user('2')).toMatchObject({ first_name: 'After' }));
    expect(rabbit.connections).toBeGreaterThan(0);
  });

  it('reconnects to Postgres, and output.csv keeps following the table', async () => {
    expect(postgres.cutAll()).toBeGreaterThan(0);
    await stack.put('3.csv', userCsv('After', 'PostgresCut', 3));
    await eventually(async () => {
      expect(await stack.user('3')).toMatchObject({ last_name: 'PostgresCut' });
      expect(await stack.outputCsv()).toContain('3,After,PostgresCut,3,');
    });
  });
});
