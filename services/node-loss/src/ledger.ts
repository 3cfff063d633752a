import { bareEtag } from '@userpipe/shared';

/**
 * What MinIO acknowledged, key by key: the client's side of check (a). Only an acknowledged
 * call is recorded, and a call that failed is retried until it is acknowledged (storm.ts), so
 * after the storm this is the state the bucket must be in. Calls on one key never overlap (one
 * client owns each user), so the last acknowledgement is the last call.
 */
export class AckLedger {
  private readonly keys = new Map<string, { present: true; etag: string } | { present: false }>();
  private acks = 0;
  private lastAt: number | null = null;

  put(key: string, etag: string, at: number): void {
    this.keys.set(key, { present: true, etag: bareEtag(etag) });
    this.acked(at);
  }

  remove(key: string, at: number): void {
    this.keys.set(key, { present: false });
    this.acked(at);
  }

  private acked(at: number): void {
    this.acks++;
    this.lastAt = this.lastAt === null ? at : Math.max(this.lastAt, at);
  }

  /** Calls acknowledged so far. */
  get count(): number {
    return this.acks;
  }

  /** When the latest acknowledgement arrived (stall detection: the bucket is ahead of the pipeline after it). */
  get lastAckAt(): number | null {
    return this.lastAt;
  }

  /** Keys that must be in the bucket, with the ETag of their last acknowledged PUT. */
  present(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [key, state] of this.keys) if (state.present) out.set(key, state.etag);
    return out;
  }

  /** Keys whose last acknowledged call was a DELETE: they must not be in the bucket. */
  deleted(): Set<string> {
    const out = new Set<string>();
    for (const [key, state] of this.keys) if (!state.present) out.add(key);
    return out;
  }
}
