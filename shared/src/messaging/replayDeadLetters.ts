import type { ConfirmChannel } from 'amqplib';
import { publishConfirmed } from './publishConfirmed';
import { ATTEMPT_HEADER } from './retryPolicy';

/**
 * Moves messages from a dead-letter queue back to the queue they came from, as first
 * attempts. Each is acked off the dead-letter queue only after its copy is confirmed, so a
 * crash in between duplicates a message (harmless: reconcile is idempotent) and loses none.
 */
export async function replayDeadLetters(channel: ConfirmChannel, from: string, to: string, limit = Infinity): Promise<number> {
  let moved = 0;
  while (moved < limit) {
    const message = await channel.get(from, { noAck: false });
    if (!message) break;
    const headers = { ...message.properties.headers, [ATTEMPT_HEADER]: 1 };
    await publishConfirmed(channel, '', to, message.content, { persistent: true, contentType: message.properties.contentType as string | undefined, headers });
    channel.ack(message);
    moved++;
  }
  return moved;
}
