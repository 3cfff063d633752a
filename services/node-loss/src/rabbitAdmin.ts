import type { Channel, ChannelModel } from 'amqplib';
import { TimeoutError, withTimeout, type RabbitmqNodes } from '@userpipe/shared';

/**
 * Queue depths with the administrator's login, from whichever node answers: the test kills one
 * node, so a lost connection moves to the next node at the next question. A passive declare
 * (checkQueue) of a missing queue closes its channel, so each question that fails drops the
 * channel, and a question never waits longer than its timeout (a quorum queue without a leader
 * can leave it unanswered while a new leader is elected).
 */
export class RabbitAdmin {
  private model: ChannelModel | undefined;
  private channel: Channel | undefined;
  private opening: Promise<Channel> | undefined;
  private closed = false;

  /** `nodes` with the administrator's login; each connection goes to the node after the last one used. */
  constructor(private readonly nodes: RabbitmqNodes) {}

  /** Ready messages in the queue, or null when no node answered in time. */
  async depth(queue: string, timeoutMs = 1500): Promise<number | null> {
    try {
      return await withTimeout(timeoutMs, async () => (await (await this.open()).checkQueue(queue)).messageCount);
    } catch (err) {
      this.drop(err instanceof TimeoutError);
      return null;
    }
  }

  /** Like depth, but a failure throws with its reason (the final checks must say why they could not look). */
  async depthOrThrow(queue: string, timeoutMs = 5000): Promise<number> {
    const failures: string[] = [];
    for (let i = 0; i < this.nodes.count; i++) {
      try {
        return await withTimeout(timeoutMs, async () => (await (await this.open()).checkQueue(queue)).messageCount);
      } catch (err) {
        failures.push((err as Error).message);
        this.drop(err instanceof TimeoutError);
      }
    }
    throw new Error(`could not read queue ${queue}: ${failures.join('; ')}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.model?.close().catch(() => undefined);
    this.model = undefined;
    this.channel = undefined;
  }

  /** The channel, opened once however many questions wait for it. */
  private open(): Promise<Channel> {
    if (this.closed) return Promise.reject(new Error('closed'));
    if (this.channel) return Promise.resolve(this.channel);
    this.opening ??= this.connectAny().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async connectAny(): Promise<Channel> {
    try {
      if (!this.model) {
        const model = await this.nodes.connect('node-loss test');
        model.on('error', () => undefined);
        model.on('close', () => {
          if (this.model === model) this.drop(true);
        });
        this.model = model;
      }
      const channel = await this.model.createChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => {
        if (this.channel === channel) this.channel = undefined;
      });
      this.channel = channel;
      return channel;
    } catch (err) {
      this.drop(true);
      throw err;
    }
  }

  /**
   * Forgets the channel (a refused question closes it), and with `connection` the connection
   * too (a node that does not answer may be dead), moving to the next node.
   */
  private drop(connection = false): void {
    this.channel?.close().catch(() => undefined);
    this.channel = undefined;
    if (connection) {
      this.model?.close().catch(() => undefined);
      this.model = undefined;
    }
  }
}
