// Small steps of `make fuzz` (infra/fuzz/run.sh) that go through the project's own code, with the
// settings in the environment (run.sh sources infra/local/lib.sh, so .env is loaded):
//   node infra/fuzz/db.js migrate        apply shared/sql/migrations to POSTGRES_DB, as the owner,
//                                        the same way the ingest worker does at start
//   node infra/fuzz/db.js delete-queue Q delete the RabbitMQ queue Q (the fuzz run's rebuild queue)
'use strict';
const path = require('node:path');
const shared = require(path.resolve(__dirname, '../../shared/dist/index.js'));

async function migrate() {
  const settings = shared.loadSettings(shared.postgresSettings);
  const pool = shared.createPool({ ...settings, POSTGRES_POOL_SIZE: 1 }, shared.createLogger('fuzz', 'warn'));
  try {
    const applied = await shared.migrate(pool);
    console.log(`fuzz: database ${settings.POSTGRES_DB} migrated (${applied.join(', ') || 'nothing to apply'})`);
  } finally {
    await pool.end();
  }
}

async function deleteQueue(queue) {
  if (!queue) throw new Error('usage: db.js delete-queue QUEUE');
  const amqp = require('amqplib');
  const model = await amqp.connect(shared.amqpUrl(shared.loadSettings(shared.rabbitmqSettings)));
  try {
    const channel = await model.createChannel();
    await channel.deleteQueue(queue);
  } finally {
    await model.close();
  }
}

const [command, arg] = process.argv.slice(2);
const steps = { migrate: () => migrate(), 'delete-queue': () => deleteQueue(arg) };
if (!steps[command]) {
  console.error('usage: node infra/fuzz/db.js migrate | delete-queue QUEUE');
  process.exit(2);
}
steps[command]().catch((err) => {
  console.error(`fuzz: ${command} failed: ${err.message}`);
  process.exit(1);
});
