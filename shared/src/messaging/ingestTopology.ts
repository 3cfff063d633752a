import type { Channel } from 'amqplib';
import type { QueueTopology } from './queueTopology';
import type { RetryQueues } from './retryPolicy';

/** The ingest queue and the queues named after it: what reads or counts them needs no more. */
export interface IngestQueues extends RetryQueues {
  queue: string;
}

/** The ingest queues and where they are fed from, declared by the worker. */
export interface IngestTopology extends IngestQueues, QueueTopology {
  /** Where RabbitMQ's MQTT plugin puts MinIO's events (a topic exchange), and their routing key (MinIO's MQTT topic). */
  exchange: string;
  routingKey: string;
}

/**
 * Delivery limit of the main queue: a safety net for a message that kills the process before
 * it can be acked (so our own retry bookkeeping never runs). It is parked, not redelivered forever.
 */
const CRASH_DELIVERY_LIMIT = 20;

export function ingestQueues(queue: string, retryDelaysMs: number[]): IngestQueues {
  const delays = [...new Set(retryDelaysMs)].sort((a, b) => a - b);
  return {
    queue,
    // Named by their delay, so changing the delays adds queues instead of clashing with old ones.
    // (`.delay.`, not the `.retry.` of the classic queues they replace: a queue cannot change its
    // type, and an old one left behind still hands its messages back to `queue` as they expire.)
    retryQueues: delays.map((delayMs) => ({ delayMs, name: `${queue}.delay.${delayMs}ms` })),
    deadLetterQueue: `${queue}.dead`,
  };
}

export function ingestTopology(opts: { exchange: string; routingKey: string; queue: string; retryDelaysMs: number[] }): IngestTopology {
  const t: IngestTopology = {
    ...ingestQueues(opts.queue, opts.retryDelaysMs),
    exchange: opts.exchange,
    routingKey: opts.routingKey,
    declare: (ch) => declareIngest(ch, t),
  };
  return t;
}

/** Declares everything, idempotently. The binding must exist before uploads start: MinIO's unroutable messages are dropped. */
async function declareIngest(ch: Channel, t: IngestTopology): Promise<void> {
  // amq.topic, the MQTT plugin's own, always exists (and only RabbitMQ may declare an amq.* name).
  if (!t.exchange.startsWith('amq.')) await ch.assertExchange(t.exchange, 'topic', { durable: true, autoDelete: false, internal: false });
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
  // Quorum queues too, so a message waiting out its delay survives the loss of a cluster node;
  // at-least-once dead-lettering, or one moving back to `queue` while a node fails could be lost
  // (RabbitMQ requires reject-publish overflow for it; these queues have no length limit).
  for (const retry of t.retryQueues) {
    await ch.assertQueue(retry.name, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-message-ttl': retry.delayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': t.queue,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
  }
}
