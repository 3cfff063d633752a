export interface CoalescerOptions {
  /** Quiet time after the latest signal before a run starts. */
  debounceMs: number;
  /** Longest a signal waits for its run (beyond a run in progress), however busy the stream of signals; also the least time between the starts of two runs. */
  maxDelayMs: number;
  /** Wait before running again after a failed run. */
  retryMs: number;
  onError: (err: unknown) => void;
}

/**
 * Turns a burst of change signals into few runs of a task: a run starts `debounceMs` after
 * the latest signal, but never later than `maxDelayMs` after the first unserved one, and never
 * sooner than `maxDelayMs` after the previous run started. So a lone change waits only the
 * debounce, and changes that keep coming get one run per `maxDelayMs`, however they are spaced:
 * without the last rule, signals further apart than the debounce (a worker's commits in a
 * backlog) would each get a run of their own, and every run rewrites the whole output
 * (docs/scaling.md, "Where it stops"). Runs never overlap; a signal that arrives during a run
 * gets a run after it. A failed run is retried, since the changes it was to publish are still
 * unpublished.
 */
export class Coalescer {
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt: number | undefined;
  private running: Promise<void> | undefined;
  private lastRunAt: number | undefined;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly opts: CoalescerOptions,
  ) {}

  signal(): void {
    if (this.stopped) return;
    this.firstPendingAt ??= Date.now();
    if (!this.running) this.scheduleFor(this.firstPendingAt);
  }

  /** When the signals pending since `pendingSince` get their run. */
  private scheduleFor(pendingSince: number): void {
    const due = Math.min(Date.now() + this.opts.debounceMs, pendingSince + this.opts.maxDelayMs);
    this.schedule(this.lastRunAt === undefined ? due : Math.max(due, this.lastRunAt + this.opts.maxDelayMs));
  }

  private schedule(at: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), Math.max(0, at - Date.now()));
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.firstPendingAt = undefined;
    this.lastRunAt = Date.now();
    let failed = false;
    this.running = this.task().catch((err: unknown) => {
      failed = true;
      this.opts.onError(err);
    });
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    if (failed) {
      this.firstPendingAt ??= Date.now();
      this.schedule(Date.now() + this.opts.retryMs);
      return;
    }
    // signal() may have set it while the task ran: TypeScript keeps the `undefined` above across the await.
    const pendingSince = this.firstPendingAt as number | undefined;
    if (pendingSince !== undefined) this.scheduleFor(pendingSince);
  }

  /** Stops scheduling; with flush, runs the task once more if a signal is still unserved. */
  async stop({ flush }: { flush: boolean }): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const unserved = this.timer !== undefined || this.firstPendingAt !== undefined;
    this.timer = undefined;
    await this.running;
    if (flush && (unserved || this.firstPendingAt !== undefined)) {
      this.firstPendingAt = undefined;
      await this.task().catch((err: unknown) => this.opts.onError(err));
    }
  }
}
