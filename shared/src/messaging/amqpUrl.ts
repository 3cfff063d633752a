import type { RabbitmqSettings } from '../config/settings';

export function amqpUrl(s: RabbitmqSettings): string {
  const user = encodeURIComponent(s.RABBITMQ_USER);
  const password = encodeURIComponent(s.RABBITMQ_PASSWORD);
  return `amqp://${user}:${password}@${s.RABBITMQ_HOST}:${s.RABBITMQ_PORT}`;
}
