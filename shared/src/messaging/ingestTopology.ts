import type { Channel } from 'amqplib';

export interface IngestTopology {
  /** Where MinIO publishes: direct and durable, exactly as MinIO declares it on every publish. */
  exchange: string;
  routingKey: string;
  queue: string;
  /** One delay queue per distinct wait; each hands its messages back to `queue` when they expire. */
  retryQueues: { delayMs: number; name: string }[];
  deadLetterQueue: string;
}

/**
 * Delivery limit of the main queue: a safety net for a message that kills the process before
 * it can be acked (so our own retry bookkeeping never runs). It is parked, not redelivered forever.
 */
const CRASH_DELIVERY_LIMIT = 20;

export function ingestTopology(opts: { exchange: string; routingKey: string; queue: string; retryDelaysMs: number[] }): IngestTopology {
  const delays = [...new Set(opts.retryDelaysMs)].sort((a, b) => a - b);
  return {
    exchange: opts.exchange,
    routingKey: opts.routingKey,
    queue: opts.queue,
    // Named by their delay, so changing the delays adds queues instead of clashing with old ones.
    retryQueues: delays.map((delayMs) => ({ delayMs, name: `${opts.queue}.retry.${delayMs}ms` })),
    deadLetterQueue: `${opts.queue}.dead`,
  };
}

/** Declares everything, idempotently. The binding must exist before uploads start: MinIO's unroutable messages are dropped. */
export async function assertIngestTopology(ch: Channel, t: IngestTopology): Promise<void> {
  await ch.assertExchange(t.exchange, 'direct', { durable: true, autoDelete: false, internal: false });
  await ch.assertQueue(t.deadLetterQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.assertQueue(t.queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': CRASH_DELIVERY_LIMIT,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': t.deadLetterQueue,
    },
  });
  await ch.bindQueue(t.queue, t.exchange, t.routingKey);
  for (const retry of t.retryQueues) {
    await ch.assertQueue(retry.name, {
      durable: true,
      arguments: {
        'x-message-ttl': retry.delayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': t.queue,
      },
    });
  }
}
