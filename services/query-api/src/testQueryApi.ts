import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type QueryApiSettings } from '@userpipe/shared';
import type { TestStack } from '@userpipe/shared/testing';
import { startQueryApi, type RunningQueryApi } from './startQueryApi';

/** A real query API on a test stack (migrated first), stopped when the stack is disposed. */
export async function startTestQueryApi(
  stack: TestStack,
  opts: { now?: () => Date; settings?: Partial<Record<keyof QueryApiSettings, string>> } = {},
): Promise<RunningQueryApi> {
  await stack.migrate();
  const settings = stack.queryApiSettings(opts.settings);
  const api = await startQueryApi(settings, createLogger('query-api', settings.LOG_LEVEL), opts.now);
  stack.onDispose(() => api.stop());
  return api;
}

/** Inserts users straight into the table: the API only reads it, so how rows got there does not matter here. */
export async function seedUsers(
  stack: TestStack,
  users: { user_id: string; first_name?: string; last_name?: string; birthts: number; img_path?: string | null }[],
): Promise<void> {
  for (let i = 0; i < users.length; i += 1000) {
    const batch = users.slice(i, i + 1000);
    await stack.db.query(
      `INSERT INTO users (user_id, first_name, last_name, birthdate, img_path, csv_etag)
       SELECT u.user_id, u.first_name, u.last_name, timestamptz 'epoch' + u.birthts * interval '1 millisecond', u.img_path, 'seeded'
         FROM jsonb_to_recordset($1::jsonb) AS u(user_id text, first_name text, last_name text, birthts bigint, img_path text)`,
      [JSON.stringify(batch.map((u) => ({ first_name: 'First', last_name: 'Last', img_path: null, ...u })))],
    );
  }
}

/** Inserts `count` generated users (u000001, u000002, ...; every other one with a picture) in one statement. */
export async function seedGeneratedUsers(stack: TestStack, count: number): Promise<void> {
  await stack.db.query(
    `INSERT INTO users (user_id, first_name, last_name, birthdate, img_path, csv_etag)
     SELECT 'u' || lpad(i::text, 6, '0'), 'First' || i, 'Last' || i, timestamptz '1980-01-01' + i * interval '1 hour',
            CASE WHEN i % 2 = 0 THEN 'src/u' || i || '.png' END, 'seeded'
       FROM generate_series(1, $1::int) AS i`,
    [count],
  );
}

/** A port nothing listens on (the system's pick of a free one, let go again). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
