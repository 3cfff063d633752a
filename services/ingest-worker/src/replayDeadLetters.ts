#!/usr/bin/env node
/**
 * `make replay-dead-letters`: puts every message of the ingest dead-letter queue back on the
 * ingest queue and prints how many. Run it once the cause (a database down for long, a bug
 * fixed) is gone; messages that fail again return to the dead-letter queue after their retries.
 */
import { amqpUrls, ingestQueues, loadSettingsOrExit, RabbitmqNodes, rabbitmqSettings, replayDeadLetters } from '@userpipe/shared';

async function main(): Promise<number> {
  const settings = loadSettingsOrExit('replay', rabbitmqSettings);
  const topology = ingestQueues(settings.INGEST_QUEUE, []);
  const connection = await new RabbitmqNodes(amqpUrls(settings)).connect(`replay-dead-letters ${process.pid}`);
  try {
    const channel = await connection.createConfirmChannel();
    const moved = await replayDeadLetters(channel, topology.deadLetterQueue, topology.queue);
    process.stdout.write(`replayed ${moved} message(s) from ${topology.deadLetterQueue} to ${topology.queue}\n`);
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`replay failed: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
