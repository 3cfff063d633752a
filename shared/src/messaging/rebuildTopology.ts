import type { Channel } from 'amqplib';

/**
 * How rebuild requests travel: the query API publishes to a fanout exchange of their own, to
 * which only the rebuild's queue is bound. Not through the default exchange, which routes to any
 * queue by name: the API's RabbitMQ user may write to this exchange and to nothing else.
 */
export interface RebuildTopology {
  exchange: string;
  queue: string;
}

export function rebuildTopology(queue: string): RebuildTopology {
  return { exchange: `${queue}.announce`, queue };
}

/** Declared by the rebuild, the consumer; the query API declares nothing and may not. */
export async function assertRebuildTopology(ch: Channel, t: RebuildTopology): Promise<void> {
  await ch.assertExchange(t.exchange, 'fanout', { durable: true, autoDelete: false, internal: false });
  await ch.assertQueue(t.queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.bindQueue(t.queue, t.exchange, '');
}
