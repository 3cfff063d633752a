import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { QueueTopology } from './queueTopology';
import type { RabbitmqNodes } from './rabbitmqNodes';
import { publishConfirmed } from './publishConfirmed';
import { ASKED_AGAIN_HEADER, askedAgainOf, ATTEMPT_HEADER, attemptOf, ERROR_HEADER, nextAsk, nextStep, RECHECK_HEADER, recheckOf, type RetryQueues } from './retryPolicy';

export interface Delivery {
  body: Buffer;
  attempt: number;
  /** The message comes back because its handler asked for a 'recheck': to be looked at in full, whatever is found done. */
  recheck?: boolean;
}

/**
 * What a handler's work came to: done, or done but worth doing again later, as when what it
 * read may have been stale: 'again' (the handler may find it done by then and stop), or
 * 'recheck' (it comes back with `recheck` set, for the handler to look at it in full). A
 * message asked again goes through the delay queues in turn, the last repeating, until
 * Retries.askAgainForMs is spent (nextAsk), and is then done with; it never counts as a failed
 * attempt or dead-letters.
 */
export type HandleResult = void | 'again' | 'recheck';

export interface ResilientConsumerOptions {
  /** One node, or a cluster's: a lost connection is reopened to another node. */
  nodes: RabbitmqNodes;
  /** The queue consumed, declared on every (re)connection. */
  topology: QueueTopology;
  /**
   * Where failed messages go. Without it a failed message is logged and dropped: for a queue
   * whose messages only wake the consumer up, with the record of the work kept elsewhere.
   */
  retries?: Retries;
  prefetch: number;
  /** Resolves once the message's work is committed; throws to have it retried. */
  handle: (delivery: Delivery) => Promise<HandleResult>;
  logger: Logger;
  /** Name shown in RabbitMQ's connection list. */
  connectionName: string;
}

export interface Retries {
  queues: RetryQueues;
  maxAttempts: number;
  /** How long a message its handler asked for again keeps being asked (nextAsk). */
  askAgainForMs: number;
  /** False for failures no retry can fix (such as an undecodable message). */
  isRetryable: (err: unknown) => boolean;
}

/**
 * Consumes a queue with manual acks and a prefetch, and keeps doing so across
 * broker restarts and lost cluster nodes: a lost connection is reopened, to another node when
 * there are several, with backoff, and the topology declared again.
 * A message is acked only after its handler resolved (ack after commit); with `retries`, a
 * failed one is republished, with publisher confirms, to a delay queue or the dead-letter queue
 * before the original is acked, so it is never lost between the two.
 */
export class ResilientConsumer {
  private model: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private consumerTag: string | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly opts: ResilientConsumerOptions) {}

  get connected(): boolean {
    return this.consumerTag !== undefined;
  }

  /** Resolves once the first connection consumes, so the caller knows the topology exists. */
  async start(): Promise<void> {
    let ready!: () => void;
    const first = new Promise<void>((r) => (ready = r));
    this.loop = this.run(ready);
    await first;
  }

  private async run(ready: () => void): Promise<void> {
    let backoffMs = 200;
    while (!this.stopped) {
      try {
        const { closed } = await this.connect();
        backoffMs = 200;
        ready();
        await closed;
      } catch (err) {
        this.opts.logger.warn({ err, retryInMs: backoffMs }, 'RabbitMQ connection failed');
      }
      this.consumerTag = undefined;
      this.channel = undefined;
      this.model = undefined;
      if (this.stopped) break;
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, backoffMs);
      });
      backoffMs = Math.min(backoffMs * 2, 10_000);
    }
  }

  /** Connects, declares and consumes; returns a promise that settles when the connection closes. */
  private async connect(): Promise<{ closed: Promise<void> }> {
    const model = await this.opts.nodes.connect(this.opts.connectionName);
    const closed = new Promise<void>((resolve) => model.once('close', () => resolve()));
    model.on('error', (err: Error) => this.opts.logger.warn({ err }, 'RabbitMQ connection error'));
    try {
      const channel = await model.createConfirmChannel();
      channel.on('error', (err: Error) => this.opts.logger.warn({ err }, 'RabbitMQ channel error'));
      // A channel closed by the broker leaves us unable to ack: start over on a new connection.
      channel.on('close', () => void model.close().catch(() => undefined));
      await this.opts.topology.declare(channel);
      await channel.prefetch(this.opts.prefetch);
      this.model = model;
      this.channel = channel;
      const { consumerTag } = await channel.consume(this.opts.topology.queue, (msg) => this.receive(channel, msg), { noAck: false });
      this.consumerTag = consumerTag;
      this.opts.logger.info({ queue: this.opts.topology.queue }, 'consuming');
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
    return { closed }; // wrapped, or awaiting connect() would wait for the close
  }

  private receive(channel: ConfirmChannel, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled us (the queue was deleted): reconnect and declare it again.
      void channel.close().catch(() => undefined);
      return;
    }
    // process() settles every message itself; anything it throws anyway is logged, never left to
    // crash the process as an unhandled rejection.
    const work = this.process(channel, msg)
      .catch((err: unknown) => this.opts.logger.error({ err }, 'message handling failed unexpectedly; it will be redelivered'))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async process(channel: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const attempt = attemptOf(msg.properties.headers);
    const askedAgain = askedAgainOf(msg.properties.headers);
    let result: HandleResult;
    try {
      result = await this.opts.handle({ body: msg.content, attempt, recheck: recheckOf(msg.properties.headers) });
    } catch (err) {
      await this.failed(channel, msg, attempt, err);
      return;
    }
    const ask = result && this.opts.retries ? nextAsk(this.opts.retries.queues, askedAgain, this.opts.retries.askAgainForMs) : null;
    if (ask) {
      try {
        await this.republish(channel, msg, ask.queue, { [ASKED_AGAIN_HEADER]: askedAgain + 1, [RECHECK_HEADER]: result === 'recheck' });
      } catch (publishErr) {
        // Its work is done: acked below all the same, and only the later look is lost.
        this.opts.logger.warn({ err: publishErr }, 'could not ask a message again');
      }
    }
    this.settle(() => channel.ack(msg));
  }

  /**
   * Acks or nacks, unless the channel is gone (its connection lost, a node killed): then the
   * broker hands the message out again once we or another consumer reconnect, and its work is
   * done twice, which reconcile makes harmless.
   */
  private settle(ackOrNack: () => void): void {
    try {
      ackOrNack();
    } catch (err) {
      this.opts.logger.warn({ err }, 'could not ack a message, its channel is gone; it will be redelivered');
    }
  }

  /** A failed message: retried after a delay, dead-lettered, or (without retries) dropped. */
  private async failed(channel: ConfirmChannel, msg: ConsumeMessage, attempt: number, err: unknown): Promise<void> {
    const { retries } = this.opts;
    if (!retries) {
      this.opts.logger.error({ err, queue: this.opts.topology.queue }, 'message failed; dropped');
      this.settle(() => channel.nack(msg, false, false));
      return;
    }
    const step = nextStep(retries.queues, attempt, retries.maxAttempts, retries.isRetryable(err));
    this.opts.logger[step.action === 'retry' ? 'warn' : 'error'](
      { err, attempt, next: step.action, queue: step.queue },
      step.action === 'retry' ? 'message failed; retrying after a delay' : 'message failed; dead-lettered',
    );
    try {
      // A retry carries the number of its next attempt; a dead letter, how many attempts were made.
      await this.republish(channel, msg, step.queue, {
        [ATTEMPT_HEADER]: step.action === 'retry' ? attempt + 1 : attempt,
        [ERROR_HEADER]: String((err as Error)?.message ?? err).slice(0, 500),
      });
      channel.ack(msg);
    } catch (publishErr) {
      // The channel is gone; the broker redelivers the unacked original after we reconnect.
      this.opts.logger.warn({ err: publishErr }, 'could not move a failed message; it will be redelivered');
    }
  }

  /** A copy of the message, with these headers changed, to `queue`, confirmed by the broker. */
  private republish(channel: ConfirmChannel, msg: ConsumeMessage, queue: string, headers: Record<string, unknown>): Promise<void> {
    const contentType = msg.properties.contentType as string | undefined;
    return publishConfirmed(channel, '', queue, msg.content, { persistent: true, contentType, headers: { ...msg.properties.headers, ...headers } });
  }

  /** Stops taking messages, lets those in hand finish (and be acked), then disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const { channel, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await this.model?.close().catch(() => undefined);
    await this.loop;
  }
}
