import type { Client } from 'minio';
import type { Pool } from '../db/createPool';

export interface ReconcileDeps {
  pool: Pool;
  minio: Client;
  srcBucket: string;
  maxFileBytes: number;
  /** Users of one batch whose objects are read at once. */
  readConcurrency?: number;
}
