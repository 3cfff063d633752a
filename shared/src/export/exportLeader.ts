import pg from 'pg';
import type { Logger } from 'pino';
import { advisoryKey } from '../db/advisoryKey';
import { USERS_CHANGED_CHANNEL } from '../db/queries/notifyUsersChanged';
import { Coalescer } from './coalescer';

export interface ExportLeaderOptions {
  /** Connection settings for the leader's own session (it holds a lock and LISTENs). */
  connection: pg.ClientConfig;
  exportNow: () => Promise<void>;
  debounceMs: number;
  maxDelayMs: number;
  /** How often a replica that is not the leader tries to become it. */
  electionIntervalMs?: number;
  logger: Logger;
}

/**
 * One exporter across all worker replicas: the replica whose session holds an advisory lock
 * LISTENs for committed user changes and coalesces them into exports. If that session dies
 * the lock goes with it and another replica takes over within the election interval; a new
 * leader exports once at once, in case changes went unpublished in between.
 */
export class ExportLeader {
  private readonly coalescer: Coalescer;
  private client: pg.Client | undefined;
  private electionTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  isLeader = false;

  constructor(private readonly opts: ExportLeaderOptions) {
    this.coalescer = new Coalescer(opts.exportNow, {
      debounceMs: opts.debounceMs,
      maxDelayMs: opts.maxDelayMs,
      retryMs: 1000,
      onError: (err) => opts.logger.error({ err }, 'output.csv export failed; will retry'),
    });
  }

  start(): void {
    void this.campaign();
  }

  private scheduleCampaign(): void {
    if (this.stopped) return;
    this.electionTimer = setTimeout(() => void this.campaign(), this.opts.electionIntervalMs ?? 2000);
  }

  private async campaign(): Promise<void> {
    const client = new pg.Client(this.opts.connection);
    client.on('error', () => undefined); // surfaced through 'end' below
    try {
      await client.connect();
      const { rows } = await client.query<{ won: boolean }>('SELECT pg_try_advisory_lock($1) AS won', [advisoryKey('export-leader')]);
      if (!rows[0]?.won || this.stopped) {
        await client.end();
        return this.scheduleCampaign();
      }
      client.on('notification', () => this.coalescer.signal());
      client.on('end', () => this.lostLeadership(client));
      await client.query(`LISTEN ${USERS_CHANGED_CHANNEL}`);
      this.client = client;
      this.isLeader = true;
      this.opts.logger.info('this replica now exports output.csv');
      this.coalescer.signal();
    } catch (err) {
      this.opts.logger.warn({ err }, 'export leader election failed; retrying');
      await client.end().catch(() => undefined);
      this.scheduleCampaign();
    }
  }

  private lostLeadership(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.isLeader = false;
    if (this.stopped) return;
    this.opts.logger.warn('lost the export leadership (database session ended); campaigning again');
    this.scheduleCampaign();
  }


  /** Stops campaigning; a leader first publishes any change still unpublished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.electionTimer);
    await this.coalescer.stop({ flush: this.isLeader });
    const client = this.client;
    this.client = undefined;
    this.isLeader = false;
    await client?.end().catch(() => undefined);
  }
}
