/**
 * Benchmark: what one bucket event costs RabbitMQ, the ways MinIO can publish it:
 * - over AMQP, as MinIO's AMQP target does (a channel opened per event, the exchange declared on
 *   it, one publish, the channel closed): what the stack used until MinIO published over MQTT;
 * - over MQTT into RabbitMQ's MQTT plugin, as MinIO's MQTT targets do now: QoS 1 one event at a
 *   time, waiting for each acknowledgement (the durable target, sending from its folder), and
 *   QoS 0 (the fast one);
 * against the floor: the same publishes on one long-lived AMQP channel with confirms. Each event
 * lands in a quorum queue of the bench's own, consumed and acked, as the worker's are. Prints
 * events/s and RabbitMQ's CPU per event (from /proc, so only against the local stack,
 * `infra/local/rabbitmq.sh pid`), and each way's ratio to the floor; asserts nothing.
 * docs/scaling.md, "Where it stops", reads the figures.
 *
 *   node services/ingest-worker/dist/bench/eventCost.js [events=3000] [concurrency=4]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { amqpUrls, loadSettings, rabbitmqSettings } from '@userpipe/shared';
import { processCpuMs } from '@userpipe/shared/testing';

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

/** Publishes one event with this routing key, resolved once RabbitMQ has it (or has been handed it). */
type Publish = (routingKey: string) => Promise<void>;

/** MinIO's AMQP target, per event (internal/event/target/amqp.go at the pinned version). */
function channelPerEvent(connection: amqp.ChannelModel): Publish {
  return async (routingKey) => {
    const channel = await connection.createChannel();
    await channel.assertExchange(settings.EVENTS_EXCHANGE, 'topic', { durable: true });
    channel.publish(settings.EVENTS_EXCHANGE, routingKey, body, { persistent: true });
    await channel.close();
  };
}

async function oneChannel(connection: amqp.ChannelModel): Promise<Publish> {
  const channel = await connection.createConfirmChannel();
  return (routingKey) =>
    new Promise((resolve, reject) => {
      channel.publish(settings.EVENTS_EXCHANGE, routingKey, body, { persistent: true }, (err: unknown) => (err ? reject(new Error('RabbitMQ did not confirm a publish')) : resolve()));
    });
}

/**
 * MinIO's MQTT targets (internal/event/target/mqtt.go): one connection, a publish per event at
 * this QoS. The plugin listens at the AMQP port plus 100 (infra/local/lib.sh, mqtt_port) and puts
 * each publish into EVENTS_EXCHANGE with the topic as routing key.
 */
async function mqttPublisher(qos: 0 | 1): Promise<{ publish: Publish; close: () => Promise<void> }> {
  const node = new URL(amqpUrls(settings)[0]!);
  const client = await mqtt.connectAsync({ host: node.hostname, port: Number(node.port) + 100, username: settings.RABBITMQ_USER, password: settings.RABBITMQ_PASSWORD, clean: true, reconnectPeriod: 0 });
  return { publish: async (routingKey) => void (await client.publishAsync(routingKey, body, { qos })), close: () => client.endAsync() };
}

async function measure(what: string, publish: Publish, concurrency: number, consumer: amqp.Channel, pid: string | null): Promise<number | null> {
  const name = `bench-event-cost-${randomBytes(3).toString('hex')}`;
  await consumer.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await consumer.bindQueue(name, settings.EVENTS_EXCHANGE, name);
  let received = 0;
  let allReceived = () => {};
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  const { consumerTag } = await consumer.consume(name, (message) => {
    if (!message) return;
    consumer.ack(message);
    if (++received === events) allReceived();
  });
  const cpuBefore = pid ? processCpuMs(pid) : 0;
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
  const cpuPerEvent = pid ? (processCpuMs(pid) - cpuBefore) / events : null;
  console.log(`${what}, ${concurrency} at a time: ${(events / seconds).toFixed(0)} events/s; RabbitMQ ${cpuPerEvent === null ? 'CPU not visible' : `${cpuPerEvent.toFixed(3)} ms of CPU per event`}`);
  await consumer.cancel(consumerTag);
  await consumer.deleteQueue(name);
  return cpuPerEvent;
}

async function main(): Promise<void> {
  const pid = rabbitmqPid();
  const url = amqpUrls(settings)[0]!;
  const [consuming, publishing] = [await amqp.connect(url), await amqp.connect(url)];
  const [durable, fast] = [await mqttPublisher(1), await mqttPublisher(0)];
  try {
    const consumer = await consuming.createChannel();
    await consumer.prefetch(256);
    console.log(`${events} events of ${body.length} bytes into a quorum queue consumed and acked`);
    const floor = await measure('floor: one AMQP channel, confirms', await oneChannel(publishing), concurrency, consumer, pid);
    const ways: [string, Publish, number][] = [
      ["MQTT QoS 1 (MinIO's durable target)", durable.publish, 1],
      ["MQTT QoS 0 (MinIO's fast target)", fast.publish, concurrency],
      ["AMQP, a channel per event (MinIO's AMQP target, used before)", channelPerEvent(publishing), concurrency],
    ];
    const ratios: string[] = [];
    for (const [what, publish, atOnce] of ways) {
      const cpu = await measure(what, publish, atOnce, consumer, pid);
      ratios.push(`${what} ${floor === null || cpu === null ? '?' : (cpu / floor).toFixed(2)}x`);
    }
    console.log(`RabbitMQ's CPU per event against the floor: ${ratios.join(', ')}`);
  } finally {
    await Promise.all([durable.close(), fast.close()]);
    await publishing.close();
    await consuming.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
