import type { Client } from 'minio';
import { createPool } from '../db/createPool';
import { createLogger } from '../logging/createLogger';
import type { ReconcileDeps } from '../reconcile/reconcileDeps';
import { createMinioClient } from '../storage/createMinioClient';
import type { TestStack } from './testStack';

/** One request a MinIO client made: its method, object key and HTTP status (404 for a missing object, 0 for a failure). */
export interface ObjectCall {
  method: string;
  key: string;
  status: number;
}

/**
 * The real client, recording every request it makes, so a test can count object calls against a
 * real MinIO; `fail` makes chosen keys' requests throw before they are sent.
 */
export function recordingMinioClient(client: Client, fail: (key: string) => boolean = () => false): { client: Client; calls: ObjectCall[] } {
  const calls: ObjectCall[] = [];
  const proxy = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'makeRequestAsync') return Reflect.get(target, prop, receiver);
      return async (options: { method: string; objectName?: string }, ...rest: unknown[]) => {
        const key = options.objectName ?? '';
        if (fail(key)) throw new Error(`MinIO refused ${key}`);
        try {
          const res = await (target.makeRequestAsync as (...a: unknown[]) => Promise<{ statusCode?: number }>).call(receiver, options, ...rest);
          calls.push({ method: options.method, key, status: res.statusCode ?? 0 });
          return res;
        } catch (err) {
          const code = (err as { code?: string }).code;
          calls.push({ method: options.method, key, status: code === 'NotFound' || code === 'NoSuchKey' ? 404 : 0 });
          throw err;
        }
      };
    },
  });
  return { client: proxy, calls };
}

/**
 * Reconcile's dependencies on a migrated test stack, through a recording client; the pool ends
 * with the stack. `pipeline`: the pool's connections pipeline their statements, as the worker's do.
 */
export async function recordingReconcileDeps(stack: TestStack, fail?: (key: string) => boolean, opts: { pipeline?: boolean } = {}): Promise<{ deps: ReconcileDeps; calls: ObjectCall[] }> {
  await stack.migrate();
  const settings = stack.settings();
  const pool = createPool(settings, createLogger('test', 'silent'), opts);
  stack.onDispose(() => pool.end());
  const { client, calls } = recordingMinioClient(createMinioClient(settings), fail);
  return { deps: { pool, minio: client, srcBucket: stack.srcBucket, maxFileBytes: settings.USER_FILE_MAX_BYTES }, calls };
}
