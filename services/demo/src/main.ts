/**
 * `make demo`: uploads a realistic population to the source bucket of the running stack,
 * waits until the query API serves it, and prints a few requests to try.
 *
 *   node services/demo/dist/main.js [users=500]
 */
import { z } from 'zod';
import { createMinioClient, loadSettings, minioSettings } from '@userpipe/shared';
import { demoPopulation } from './population';

const settings = loadSettings(z.object({ ...minioSettings.shape, API_PORT: z.coerce.number().int().default(8080) }));
const count = Number(process.argv[2] ?? 500);
const api = `http://127.0.0.1:${settings.API_PORT}`;

async function main(): Promise<void> {
  const minio = createMinioClient(settings);
  const { files, goodUsers, broken } = demoPopulation(count);
  process.stdout.write(`uploading ${files.length} files (${goodUsers} users, ${broken.length} broken files) to bucket ${settings.SRC_BUCKET}... `);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < files.length; i = next++) await minio.putObject(settings.SRC_BUCKET, files[i]!.key, files[i]!.body, files[i]!.body.length);
    }),
  );
  console.log('done');

  const deadline = Date.now() + 60_000;
  for (;;) {
    const users = (await (await fetch(`${api}/data`)).json()) as { user_id: string }[];
    const demo = users.filter((u) => /^1\d{4}$/.test(u.user_id)).length;
    if (demo >= goodUsers) break;
    if (Date.now() > deadline) throw new Error(`only ${demo} of ${goodUsers} users arrived within a minute: is the worker running (make status)?`);
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`all ${goodUsers} users are in Postgres and res/${settings.OUTPUT_KEY}; ${broken.length} files were rejected.\n`);
  console.log('Try:');
  for (const line of [
    `curl -s '${api}/data?min_age=30' | head -c 600; echo`,
    `curl -s '${api}/data?is_image_exists=true&min_age=18&max_age=30.5&limit=5' -D - `,
    `curl -s '${api}/data?max_age=17&format=csv' | head`,
    `curl -s '${api}/data?min_age=thirty'`,
    `curl -s '${api}/rejections'`,
    `curl -s -X POST '${api}/data'`,
    `open ${api}/docs   # the OpenAPI documentation`,
  ])
    console.log(`  ${line}`);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exit(1);
});
