import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { rebuildTopology, type Logger } from '@userpipe/shared';

/**
 * Announces new rebuild jobs, with publisher confirms, on the rebuild requests' own exchange:
 * the only thing the API's RabbitMQ user may do (it may not declare, consume, or publish through
 * the default exchange, which reaches any queue). The rebuild declares the exchange and its
 * queue. The job row in Postgres is the record; the message only wakes the rebuild up, which also
 * picks up queued jobs it finds at start, so a message lost while RabbitMQ is down (or before the
 * rebuild ever ran) delays a job, never loses it.
 */
export class RebuildRequests {
  private model: ChannelModel | undefined;
  private channel: Promise<ConfirmChannel> | undefined;
  private readonly exchange: string;

  constructor(
    private readonly url: string,
    queue: string,
    private readonly logger: Logger,
  ) {
    this.exchange = rebuildTopology(queue).exchange;
  }

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
      channel.on('error', () => undefined);
      // A channel the broker closed (the exchange is missing: no rebuild ran yet) is useless: start over next time.
      channel.on('close', () => void model.close().catch(() => undefined));
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
        channel.publish(this.exchange, '', Buffer.from(JSON.stringify({ jobId })), { persistent: true, contentType: 'application/json' }, (err: unknown) =>
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
