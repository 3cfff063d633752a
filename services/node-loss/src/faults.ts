import type { ClusterControl } from './clusterControl';
import type { Timeline } from './timeline';
import { sleep } from './untilAcknowledged';

/**
 * The outage of issue 12's test: once a share of the storm is acknowledged, SIGKILL the RabbitMQ
 * node leading the ingest queue (the worst one to lose: the queue must elect a new leader, and
 * consumers and MinIO's publishers connected to it must move) and one MinIO node, then after
 * `downMs`, with the storm still going, bring both back with `cluster.sh up`.
 */
export class FaultInjector {
  private started: Promise<void> | undefined;
  private restored = false;

  constructor(
    private readonly control: ClusterControl,
    private readonly timeline: Timeline,
    private readonly opts: { queue: string; minioNode: number; downMs: number; threshold: number },
  ) {}

  /** Called with every acknowledgement count; starts the outage once the threshold is reached. */
  onAck(count: number): void {
    if (!this.started && count >= this.opts.threshold) {
      this.started = this.outage();
      // Its failure is reported through done(); an unhandled rejection must not end the process first.
      this.started.catch(() => undefined);
    }
  }

  /** Resolves when the nodes are back (at once if the outage never started). */
  async done(): Promise<void> {
    await this.started;
  }

  /** Whatever happened, leave the cluster whole for the next run or the next person. */
  async restore(): Promise<void> {
    if (this.started && !this.restored) {
      this.restored = true;
      await this.control.up();
    }
  }

  private async outage(): Promise<void> {
    // Every pid first (asking takes the scripts seconds), then both kills back to back.
    const leader = await this.control.leader(this.opts.queue);
    const [rabbitPid, minioPid] = await Promise.all([this.control.pid('rabbitmq', leader), this.control.pid('minio', this.opts.minioNode)]);
    process.kill(rabbitPid, 'SIGKILL');
    this.timeline.add(`killed RabbitMQ node ${leader} (leader of ${this.opts.queue}, pid ${rabbitPid})`);
    process.kill(minioPid, 'SIGKILL');
    this.timeline.add(`killed MinIO node ${this.opts.minioNode} (pid ${minioPid})`);
    await sleep(this.opts.downMs);
    this.timeline.add('cluster.sh up: restarting the killed nodes');
    this.restored = true;
    await this.control.up();
    this.timeline.add('cluster.sh up done');
  }
}
