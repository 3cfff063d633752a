import { amqpUrls, isRabbitmqHostList, rabbitmqLogin } from './amqpUrl';

const endpoint = { RABBITMQ_HOST: 'mq', RABBITMQ_PORT: 5672 };

describe('rabbitmqLogin', () => {
  it("takes each service's own login from its settings", () => {
    expect(rabbitmqLogin({ WORKER_RABBITMQ_USER: 'w', WORKER_RABBITMQ_PASSWORD: 'wp' })).toEqual({ user: 'w', password: 'wp' });
    expect(rabbitmqLogin({ QUERY_RABBITMQ_USER: 'q', QUERY_RABBITMQ_PASSWORD: 'qp' })).toEqual({ user: 'q', password: 'qp' });
    expect(rabbitmqLogin({ REBUILD_RABBITMQ_USER: 'r', REBUILD_RABBITMQ_PASSWORD: 'rp' })).toEqual({ user: 'r', password: 'rp' });
  });

  it("takes the administrator's in operators' tools", () => {
    expect(rabbitmqLogin({ RABBITMQ_USER: 'admin', RABBITMQ_PASSWORD: 'ap' })).toEqual({ user: 'admin', password: 'ap' });
  });
});

describe('amqpUrls', () => {
  it('gives one node on RABBITMQ_PORT, with the login escaped', () => {
    expect(amqpUrls({ ...endpoint, QUERY_RABBITMQ_USER: 'a@b', QUERY_RABBITMQ_PASSWORD: 'p:/?' })).toEqual(['amqp://a%40b:p%3A%2F%3F@mq:5672']);
  });

  it("gives every node of a cluster, each on its own port or else RABBITMQ_PORT", () => {
    const login = { RABBITMQ_USER: 'u', RABBITMQ_PASSWORD: 'p' };
    expect(amqpUrls({ RABBITMQ_HOST: 'mq1:5673, mq2,[::1]:5674', RABBITMQ_PORT: 5672, ...login })).toEqual([
      'amqp://u:p@mq1:5673',
      'amqp://u:p@mq2:5672',
      'amqp://u:p@[::1]:5674',
    ]);
  });
});

describe('isRabbitmqHostList', () => {
  it.each(['mq', '127.0.0.1:55681', 'a:1,b:2,c', '[::1]:5672'])('accepts %s', (value) => expect(isRabbitmqHostList(value)).toBe(true));
  it.each(['', 'a,,b', 'a:0', 'a:70000', 'a:b', 'amqp://a', 'user@a', 'a b'])('refuses %j', (value) => expect(isRabbitmqHostList(value)).toBe(false));
});
