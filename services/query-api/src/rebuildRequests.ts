import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Logger } from '@userpipe/shared';

/**
 * Announces new rebuild jobs on the rebuild queue, with publisher confirms. The job row in
 * Postgres is the record; the message only wakes the rebuild up, which also picks up queued
 * jobs it finds at start, so a message lost while RabbitMQ is down delays a job, never loses it.
 */
export class RebuildRequests {
  private model: ChannelModel | undefined;
  private channel: Promise<ConfirmChannel> | undefined;

  constructor(
    private readonly url: string,
    private readonly queue: string,
    private readonly logger: Logger,
  ) {}

  private open(): Promise<ConfirmChannel> {
    this.channel ??= (async () => {
      const model = await amqp.connect(this.url, { clientProperties: { connection_name: `query-api ${process.pid}` } });
      model.on('error', () => undefined);
      model.on('close', () => {
        this.model = undefined;
        this.channel = undefined;
      });
      this.model = model;
      const channel = await model.createConfirmChannel();
      await channel.assertQueue(this.queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      return channel;
    })().catch((err: unknown) => {
      this.channel = undefined;
      throw err;
    });
    return this.channel;
  }

  async announce(jobId: string): Promise<boolean> {
    try {
      const channel = await this.open();
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(this.queue, Buffer.from(JSON.stringify({ jobId })), { persistent: true, contentType: 'application/json' }, (err: unknown) =>
          err ? reject(err) : resolve(),
        ),
      );
      return true;
    } catch (err) {
      this.logger.warn({ err, jobId }, 'rebuild job recorded but not announced; the rebuild picks it up when it starts');
      return false;
    }
  }

  async close(): Promise<void> {
    await this.model?.close().catch(() => undefined);
  }
}
