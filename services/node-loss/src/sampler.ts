import type { Probes } from './probes';
import type { ProgressSample } from './stall';

/**
 * Takes a progress sample every `intervalMs` from the storm's start until convergence: the
 * worker's and Postgres' counters, the queue's depth, and from the test itself when the client
 * last had a call acknowledged and whether the bucket is known to be ahead. A tick is skipped
 * while the previous one still waits for its probes, so slow answers never pile up.
 */
export class ProgressSampler {
  readonly samples: ProgressSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly probes: Probes,
    private readonly state: { lastAckAt: () => number | null; behind: () => boolean },
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  /** Stops, after one last sample. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
    await this.tick();
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const t = this.now();
      // Read before the probes: an acknowledgement during them must not look newer than what they saw.
      const lastAckAt = this.state.lastAckAt();
      const behind = this.state.behind();
      const [events, writeSeq, depth] = await Promise.all([this.probes.workerEvents(), this.probes.writeSeq(), this.probes.queueDepth()]);
      this.samples.push({ t, progress: { events, writeSeq }, depth, lastAckAt, behind });
    } finally {
      this.busy = false;
    }
  }
}
