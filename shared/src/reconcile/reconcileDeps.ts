import type { Client } from 'minio';
import type { Pool } from '../db/createPool';
import type { ImageExtension } from '../domain/userKey';

export interface ReconcileDeps {
  pool: Pool;
  minio: Client;
  srcBucket: string;
  maxFileBytes: number;
  /** Users of one batch whose objects are read at once. */
  readConcurrency?: number;
  /**
   * The picture extensions this process knows are recorded as seen (picturesLookedFor), kept
   * across reconciles; it only ever grows, as the table does. Without it, each reconcile asks.
   */
  seenExtensions?: Set<ImageExtension>;
}
