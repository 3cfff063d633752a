import { amqpUrl, rabbitmqLogin } from './amqpUrl';

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

describe('amqpUrl', () => {
  it('escapes the login', () => {
    expect(amqpUrl({ ...endpoint, QUERY_RABBITMQ_USER: 'a@b', QUERY_RABBITMQ_PASSWORD: 'p:/?' })).toBe('amqp://a%40b:p%3A%2F%3F@mq:5672');
  });
});
