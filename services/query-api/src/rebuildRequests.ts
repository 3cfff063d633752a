import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { publishConfirmed, rebuildTopology, type Logger, type RabbitmqNodes } from '@userpipe/shared';

/**
 * Announces new rebuild jobs, with publisher confirms, on the rebuild requests' own exchange:
 * the only thing the API's RabbitMQ user may do (it may not declare, consume, or publish through
 * the default exchange, which reaches any queue). The rebuild declares the exchange and its
 * queue. A publish that fails (its node died, the connection was lost) is tried again on a new
 * connection, to the next node of a cluster, once per node. The job row in Postgres is the
 * record; the message only wakes the rebuild up, which also picks up queued jobs it finds at
 * start, so a message that could not be published at all delays a job, never loses it.
 */
export class RebuildRequests {
  private model: ChannelModel | undefined;
  private channel: Promise<ConfirmChannel> | undefined;
  private readonly exchange: string;

  constructor(
    private readonly nodes: RabbitmqNodes,
    queue: string,
    private readonly logger: Logger,
  ) {
    this.exchange = rebuildTopology(queue).exchange;
  }

  private open(): Promise<ConfirmChannel> {
    this.channel ??= (async () => {
      const model = await this.nodes.connect(`query-api ${process.pid}`);
      model.on('error', () => undefined);
      model.on('close', () => {
        if (this.model === model) this.forget();
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

  /** Drops the connection in use, so the next publish opens one, to the next node. */
  private forget(): void {
    const model = this.model;
    this.model = undefined;
    this.channel = undefined;
    void model?.close().catch(() => undefined);
  }

  private async publish(jobId: string): Promise<void> {
    const channel = await this.open();
    await publishConfirmed(channel, this.exchange, '', Buffer.from(JSON.stringify({ jobId })), { persistent: true, contentType: 'application/json' });
  }

  async announce(jobId: string): Promise<boolean> {
    let lastErr: unknown;
    for (let attempt = 1; attempt <= this.nodes.count; attempt++) {
      try {
        await this.publish(jobId);
        return true;
      } catch (err) {
        lastErr = err;
        this.forget();
      }
    }
    this.logger.warn({ err: lastErr, jobId }, 'rebuild job recorded but not announced; the rebuild picks it up when it starts');
    return false;
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    this.channel = undefined;
    await model?.close().catch(() => undefined);
  }
}
