import type { QueueTopology } from './queueTopology';

/**
 * How rebuild requests travel: the query API publishes to a fanout exchange of their own, to
 * which only the rebuild's queue is bound. Not through the default exchange, which routes to any
 * queue by name: the API's RabbitMQ user may write to this exchange and to nothing else.
 */
export interface RebuildTopology extends QueueTopology {
  exchange: string;
}

/** Declared by the rebuild, the consumer; the query API only publishes to `exchange`, and may do nothing else. */
export function rebuildTopology(queue: string): RebuildTopology {
  const exchange = `${queue}.announce`;
  return {
    exchange,
    queue,
    async declare(ch) {
      await ch.assertExchange(exchange, 'fanout', { durable: true, autoDelete: false, internal: false });
      await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      await ch.bindQueue(queue, exchange, '');
    },
  };
}
