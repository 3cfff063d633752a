import type amqp from 'amqplib';
import type { ChannelModel } from 'amqplib';
import { withTimeout, type Logger, type RabbitmqNodes } from '@userpipe/shared';

export interface QueueDepth {
  name: string;
  messages: number | null;
  consumers: number | null;
  error: string | null;
}

/**
 * Depths and consumers of queues, for GET /status, by passive declares: RabbitMQ asks no
 * permission for them, so the API's RabbitMQ user, which may only publish rebuild requests,
 * needs no other right (infra/rabbitmq/users.sh). A passive declare of a missing queue closes
 * its channel, so each queue is asked on a channel of its own. The connection is opened on first
 * use and again after it is lost, to another node of a cluster.
 */
export class QueueStats {
  private connection: Promise<ChannelModel> | undefined;

  constructor(
    private readonly nodes: RabbitmqNodes,
    private readonly logger: Logger,
    private readonly timeoutMs = 2000,
  ) {}

  private connect(): Promise<ChannelModel> {
    this.connection ??= this.nodes
      .connect(`query-api status ${process.pid}`)
      .then((model) => {
        model.on('error', (err: Error) => this.logger.warn({ err }, 'status connection to RabbitMQ failed'));
        model.on('close', () => {
          this.connection = undefined;
        });
        return model;
      })
      .catch((err: unknown) => {
        this.connection = undefined;
        throw err;
      });
    return this.connection;
  }

  /** Each queue's depth; `error` says why RabbitMQ could not be reached at all. */
  async depths(names: string[]): Promise<{ error: string | null; queues: QueueDepth[] }> {
    let model: ChannelModel;
    try {
      model = await this.connect();
    } catch (err) {
      const error = `RabbitMQ unreachable: ${(err as Error).message}`;
      return { error, queues: names.map((name) => ({ name, messages: null, consumers: null, error })) };
    }
    return { error: null, queues: await Promise.all(names.map((name) => this.depth(model, name))) };
  }

  private async depth(model: ChannelModel, name: string): Promise<QueueDepth> {
    let channel: amqp.Channel | undefined;
    try {
      const ok = await withTimeout(this.timeoutMs, async () => {
        channel = await model.createChannel();
        channel.on('error', () => undefined); // a missing queue closes the channel; the rejection says so
        return channel.checkQueue(name);
      });
      return { name, messages: ok.messageCount, consumers: ok.consumerCount, error: null };
    } catch (err) {
      const message = (err as Error).message;
      return { name, messages: null, consumers: null, error: /NOT_FOUND/.test(message) ? 'the queue does not exist (yet)' : message };
    } finally {
      await (channel)?.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await (await connection?.catch(() => undefined))?.close().catch(() => undefined);
  }
}
