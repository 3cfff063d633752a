import type { ConfirmChannel, Options } from 'amqplib';

/**
 * Publishes and waits for RabbitMQ's confirm: resolves once the broker has taken the message
 * (for a persistent one to a quorum queue, once a majority has written it), rejects on a nack.
 * A queue by name is the default exchange ('') with the queue as routing key.
 */
export function publishConfirmed(channel: ConfirmChannel, exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(exchange, routingKey, content, options, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}
