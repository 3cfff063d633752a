import amqp, { type ChannelModel } from 'amqplib';

/**
 * The RabbitMQ nodes a client may use (one, or every node of a cluster: amqpUrls), tried in
 * turn. A connection is opened to the first node that answers, starting after the one used
 * last: a client whose connection was lost, most likely because its node died, tries the
 * others first, and comes back to it only when they fail too. Queues are quorum queues
 * (ingestTopology.ts), reachable from any node, so it does not matter which node a client holds.
 */
export class RabbitmqNodes {
  private next = 0;

  constructor(
    private readonly urls: readonly string[],
    /** How long one node may take to accept the connection (a host that vanished answers nothing). */
    private readonly connectTimeoutMs = 5000,
  ) {
    if (urls.length === 0) throw new Error('RabbitmqNodes: no node given');
  }

  get count(): number {
    return this.urls.length;
  }

  async connect(connectionName: string): Promise<ChannelModel> {
    const failures: string[] = [];
    for (let i = 0; i < this.urls.length; i++) {
      const index = (this.next + i) % this.urls.length;
      const url = this.urls[index]!;
      try {
        const model = await amqp.connect(url, { clientProperties: { connection_name: connectionName }, timeout: this.connectTimeoutMs });
        this.next = (index + 1) % this.urls.length;
        return model;
      } catch (err) {
        failures.push(`${new URL(url).host}: ${(err as Error).message}`);
      }
    }
    this.next = (this.next + 1) % this.urls.length;
    throw new Error(`no RabbitMQ node accepted a connection (${failures.join('; ')})`);
  }
}
