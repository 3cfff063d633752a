import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GenericContainer, getContainerRuntimeClient, Network, Wait, type StartedTestContainer } from 'testcontainers';
import type { ServiceEndpoints } from './serviceEndpoints';
import { RABBITMQ_USERS_SCRIPT } from './stackProvisioning';

const ROOT = path.resolve(__dirname, '../../..');
const started: StartedTestContainer[] = [];

/**
 * MinIO's settings for one MQTT target, as in infra/local/minio.sh and docker-compose.yml (why:
 * there): the durable one (with a queue folder) publishes at QoS 1, the fast one at QoS 0.
 */
function mqttTargetEnv(id: string, broker: string, login: { user: string; password: string }, topic: string, queueDir?: string): Record<string, string> {
  const env: Record<string, string> = {
    [`MINIO_NOTIFY_MQTT_ENABLE_${id}`]: 'on',
    [`MINIO_NOTIFY_MQTT_BROKER_${id}`]: broker,
    [`MINIO_NOTIFY_MQTT_TOPIC_${id}`]: topic,
    [`MINIO_NOTIFY_MQTT_USERNAME_${id}`]: login.user,
    [`MINIO_NOTIFY_MQTT_PASSWORD_${id}`]: login.password,
    [`MINIO_NOTIFY_MQTT_RECONNECT_INTERVAL_${id}`]: '1s',
    [`MINIO_NOTIFY_MQTT_KEEP_ALIVE_INTERVAL_${id}`]: '5s',
  };
  if (queueDir) {
    env[`MINIO_NOTIFY_MQTT_QOS_${id}`] = '1';
    env[`MINIO_NOTIFY_MQTT_QUEUE_DIR_${id}`] = queueDir;
  } else {
    env[`MINIO_NOTIFY_MQTT_QOS_${id}`] = '0';
  }
  return env;
}

/**
 * RabbitMQ's MQTT plugin, which MinIO publishes through, set up before the node starts as
 * infra/rabbitmq/mqtt.sh does for docker-compose.yml: enabled beside the image's own plugin, on
 * port 1883, for logged-in users only, putting what it receives into the events exchange.
 */
function rabbitmqMqttFiles(exchange: string): { content: string; target: string; mode: number }[] {
  return [
    { content: '[rabbitmq_prometheus,rabbitmq_mqtt].\n', target: '/etc/rabbitmq/enabled_plugins', mode: 0o644 },
    {
      content: `mqtt.listeners.tcp.default = 1883\nmqtt.allow_anonymous = false\nmqtt.exchange = ${exchange}\n`,
      target: '/etc/rabbitmq/conf.d/90-userpipe-mqtt.conf',
      mode: 0o644,
    },
  ];
}

export async function dockerAvailable(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function mustExec(container: StartedTestContainer, command: string[], env: Record<string, string> = {}): Promise<void> {
  const result = await container.exec(command, { env });
  if (result.exitCode !== 0) throw new Error(`${command.join(' ')} failed: ${result.output}`);
}

/**
 * The three services as containers on one network: the same images as docker-compose.yml,
 * MinIO built from infra/minio/Dockerfile (with our provisioning tool) and publishing to the
 * RabbitMQ container as its own user, Postgres with the roles and lock-down of the compose
 * init script.
 */
export async function startDockerServices(): Promise<ServiceEndpoints> {
  const network = await new Network().start();
  const secret = 'test-secret-for-throwaway-containers';
  const notify = { targetId: 'PRIMARY', fastTargetId: 'FAST', exchange: 'amq.topic', routingKey: 'bucket-events' };

  const [postgres, rabbitmq] = await Promise.all([
    new GenericContainer('postgres:17.6')
      .withEnvironment({ POSTGRES_USER: 'userpipe', POSTGRES_PASSWORD: secret, POSTGRES_DB: 'userpipe' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('rabbitmq:3.13.7')
      .withNetwork(network)
      .withNetworkAliases('rabbitmq')
      .withEnvironment({ RABBITMQ_DEFAULT_USER: 'userpipe', RABBITMQ_DEFAULT_PASS: secret })
      .withCopyFilesToContainer([{ source: path.join(ROOT, 'infra/rabbitmq/users.sh'), target: RABBITMQ_USERS_SCRIPT }])
      .withCopyContentToContainer(rabbitmqMqttFiles(notify.exchange))
      .withExposedPorts(5672)
      .withWaitStrategy(Wait.forLogMessage(/Server startup complete/))
      .start(),
  ]);
  started.push(postgres, rabbitmq);
  await mustExec(postgres, [
    'psql', '-v', 'ON_ERROR_STOP=1', '-U', 'userpipe', '-d', 'userpipe', '-c',
    `CREATE ROLE userpipe_reader NOLOGIN; CREATE ROLE userpipe_query LOGIN PASSWORD '${secret}' IN ROLE userpipe_reader;
     CREATE ROLE userpipe_writer NOLOGIN; GRANT userpipe_writer TO userpipe;`,
  ]);
  const lockDown = readFileSync(path.join(ROOT, 'infra/postgres/lock-down-functions.sql'), 'utf8');
  for (const db of ['template1', 'userpipe']) await mustExec(postgres, ['psql', '-v', 'ON_ERROR_STOP=1', '-U', 'userpipe', '-d', db, '-c', lockDown]);
  const publisher = { MINIO_RABBITMQ_USER: 'userpipe-minio', MINIO_RABBITMQ_PASSWORD: secret };
  await mustExec(rabbitmq, ['bash', '-c', `source ${RABBITMQ_USERS_SCRIPT} && service_definitions minio | rabbitmqctl -q import_definitions`], {
    ...publisher,
    RABBITMQ_USER: 'userpipe',
    EVENTS_EXCHANGE: notify.exchange,
    EVENTS_ROUTING_KEY: notify.routingKey,
    INGEST_QUEUE: 'ingest',
    REBUILD_QUEUE: 'rebuild-requests',
  });

  const minioImage = await GenericContainer.fromDockerfile(path.join(ROOT, 'infra/minio')).build('userpipe-minio:test', { deleteOnExit: false });
  const broker = 'tcp://rabbitmq:1883';
  const login = { user: publisher.MINIO_RABBITMQ_USER, password: publisher.MINIO_RABBITMQ_PASSWORD };
  const minio = await minioImage
    .withNetwork(network)
    .withEnvironment({
      ...mqttTargetEnv(notify.fastTargetId, broker, login, notify.routingKey),
      ...mqttTargetEnv(notify.targetId, broker, login, notify.routingKey, '/data/.events'),
      MINIO_ROOT_USER: 'userpipe-admin',
      MINIO_ROOT_PASSWORD: secret,
      MINIO_API_SYNC_EVENTS: 'on',
    })
    .withCommand(['server', '/data'])
    .withExposedPorts(9000)
    .withWaitStrategy(Wait.forHttp('/minio/health/ready', 9000))
    .start();
  started.push(minio);

  return {
    postgres: {
      host: postgres.getHost(),
      port: postgres.getMappedPort(5432),
      user: 'userpipe',
      password: secret,
      database: 'userpipe',
      query: { user: 'userpipe_query', password: secret },
    },
    rabbitmq: { host: rabbitmq.getHost(), port: rabbitmq.getMappedPort(5672), user: 'userpipe', password: secret },
    minio: { host: minio.getHost(), port: minio.getMappedPort(9000), accessKey: 'userpipe-admin', secretKey: secret },
    notify,
    source: 'docker',
    provisioning: { minio: { container: minio.getId() }, rabbitmq: { container: rabbitmq.getId() } },
  };
}

export async function stopDockerServices(): Promise<void> {
  await Promise.all(started.splice(0).map((c) => c.stop()));
}
