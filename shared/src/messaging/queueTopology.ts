import type { Channel } from 'amqplib';

/**
 * A queue and whatever routes to it. Its `declare` is the only declaration of them anywhere:
 * RabbitMQ refuses a second declaration of a queue whose arguments differ from the first, so
 * every declarer (its consumer on each connection, a test stack standing in for it) calls this one.
 */
export interface QueueTopology {
  /** The queue a consumer of this topology reads. */
  queue: string;
  /** Declares the queue and its routes, idempotently. */
  declare(channel: Channel): Promise<void>;
}
