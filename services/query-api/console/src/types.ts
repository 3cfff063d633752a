// The API's replies, as the console reads them (services/query-api/src/schemas.ts declares them).

export interface User {
  id: number;
  user_id: string;
  first_name: string;
  last_name: string;
  birthdate: string;
  birthts: number;
  img_path: string | null;
}

export interface Count {
  count: number;
  capped: boolean;
}

export interface Rejection {
  key: string;
  user_id: string;
  etag: string;
  reason: string;
  rejected_at: string;
}

export interface Progress {
  done: number;
  total: number;
  per_second: number;
  eta_seconds: number | null;
}

export interface Job {
  id: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  mode: 'default' | 'full';
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  summary: Record<string, unknown>;
  error: string | null;
  progress: Progress | null;
}

export interface QueueDepth {
  name: string;
  messages: number | null;
  consumers: number | null;
  error: string | null;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string | null;
}

export interface PipelineStatus {
  generated_at: string;
  queues: {
    ingest: QueueDepth;
    dead_letters: QueueDepth & { replay: string };
    retries: (QueueDepth & { delay_ms: number })[];
    rebuild_requests: QueueDepth;
  };
  output_export: { finished_at: string; rows: number; bytes: number; seconds: number } | null;
  counts: { users: { count: number; exact: boolean }; rejections: { count: number; exact: boolean } } | null;
  active_job: Job | null;
  services: (Check & { url: string })[];
  dependencies: Check[];
}
