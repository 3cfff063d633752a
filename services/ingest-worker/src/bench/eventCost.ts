/**
 * Benchmark: what one bucket event costs RabbitMQ, the way MinIO's AMQP target publishes it
 * (a channel opened per event, the exchange declared on it, one publish, the channel closed)
 * against the same publishes on one long-lived channel with confirms, the way a client that keeps
 * its channel would. Each event lands in a quorum queue of the bench's own, consumed and acked,
 * as the worker's are. Prints events/s and RabbitMQ's CPU per event (from /proc, so only against
 * the local stack, `infra/local/rabbitmq.sh pid`); asserts nothing. docs/scaling.md, "Where it
 * stops", reads the figures.
 *
 *   node services/ingest-worker/dist/bench/eventCost.js [events=3000] [concurrency=4]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';
import { amqpUrls, loadSettings, rabbitmqSettings } from '@userpipe/shared';

const settings = loadSettings(rabbitmqSettings);
const events = Number(process.argv[2] ?? 3000);
const concurrency = Number(process.argv[3] ?? 4);
/** About the size of one MinIO event's JSON. */
const body = Buffer.alloc(900, 'x');

/** RabbitMQ's OS process, or null where the bench cannot see it (another machine, a container). */
function rabbitmqPid(): string | null {
  try {
    return execFileSync('infra/local/rabbitmq.sh', ['pid'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** CPU seconds the process has used, user and system. */
function cpuSeconds(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Publish = (exchange: string) => Promise<void>;

/** MinIO's AMQP target, per event (internal/event/target/amqp.go at the pinned version). */
function channelPerEvent(connection: amqp.ChannelModel): Publish {
  return async (exchange) => {
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, 'direct', { durable: true });
    channel.publish(exchange, 'events', body, { persistent: true });
    await channel.close();
  };
}

async function oneChannel(connection: amqp.ChannelModel): Promise<Publish> {
  const channel = await connection.createConfirmChannel();
  return (exchange) =>
    new Promise((resolve, reject) => {
      channel.publish(exchange, 'events', body, { persistent: true }, (err: unknown) => (err ? reject(new Error('RabbitMQ did not confirm a publish')) : resolve()));
    });
}

async function measure(what: string, publish: Publish, consumer: amqp.Channel, pid: string | null): Promise<number | null> {
  const name = `bench-event-cost-${randomBytes(3).toString('hex')}`;
  await consumer.assertExchange(name, 'direct', { durable: true });
  await consumer.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await consumer.bindQueue(name, name, 'events');
  let received = 0;
  let allReceived = () => {};
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  const { consumerTag } = await consumer.consume(name, (message) => {
    if (!message) return;
    consumer.ack(message);
    if (++received === events) allReceived();
  });
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const started = performance.now();
  let sent = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (sent < events) {
      sent++;
      await publish(name);
    }
  }));
  await done;
  const seconds = (performance.now() - started) / 1000;
  const cpuPerEvent = pid ? ((cpuSeconds(pid) - cpuBefore) / events) * 1000 : null;
  console.log(`${what}: ${(events / seconds).toFixed(0)} events/s; RabbitMQ ${cpuPerEvent === null ? 'CPU not visible' : `${cpuPerEvent.toFixed(3)} ms of CPU per event`}`);
  await consumer.cancel(consumerTag);
  await consumer.deleteQueue(name);
  await consumer.deleteExchange(name);
  return cpuPerEvent;
}

async function main(): Promise<void> {
  const pid = rabbitmqPid();
  const url = amqpUrls(settings)[0]!;
  const [consuming, publishing] = [await amqp.connect(url), await amqp.connect(url)];
  try {
    const consumer = await consuming.createChannel();
    await consumer.prefetch(256);
    console.log(`${events} events of ${body.length} bytes, ${concurrency} at a time, into a quorum queue consumed and acked`);
    const perChannel = await measure("a channel per event (MinIO's AMQP target)", channelPerEvent(publishing), consumer, pid);
    const shared = await measure('one channel, confirms', await oneChannel(publishing), consumer, pid);
    if (perChannel !== null && shared !== null) console.log(`a channel per event costs RabbitMQ ${(perChannel / shared).toFixed(1)}x the CPU of one channel`);
  } finally {
    await publishing.close();
    await consuming.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
