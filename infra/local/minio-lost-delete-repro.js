// The scenario of minio-lost-delete-repro.sh (run that): keys written while node 1 is down, node 1
// back without them (its heal not done yet), node 2 down, and one drive of node 3 without them (as
// a PUT acknowledged on five of the six drives left leaves it, or a drive that does not answer).
// Three drives holding a key answer, fewer than the four MinIO's version merge asks for
// (pickLatestQuorumFilesInfo, cmd/erasure-object.go), so MinIO reads the new png as absent (HEAD
// 404, DELETE 204 with no delete marker, nothing written) and the csv at its older version. Once
// every node is back the png is there again, its one version under no marker.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const Minio = require('minio');

const { REPRO_MINIO_BIN: bin, REPRO_HOST: host, REPRO_BASE: base } = process.env;
const firstPort = Number(process.env.REPRO_FIRST_PORT);
const tamper = process.env.TAMPER !== '0';
const user = 'reproadmin';
const password = `p${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
const port = (n) => firstPort + n - 1;
const drives = [1, 2, 3, 4].flatMap((n) => [1, 2].map((d) => `http://${host}:${port(n)}${base}/n${n}/d${d}`));
const nodes = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function start(n) {
  for (const d of [1, 2]) fs.mkdirSync(path.join(base, `n${n}`, `d${d}`), { recursive: true });
  const env = { ...process.env, MINIO_ROOT_USER: user, MINIO_ROOT_PASSWORD: password, MINIO_CI_CD: 'on', MINIO_STORAGE_CLASS_STANDARD: 'EC:3', MINIO_STORAGE_CLASS_OPTIMIZE: 'capacity', MINIO_BROWSER: 'off', MINIO_UPDATE: 'off' };
  const log = fs.openSync(path.join(base, `n${n}.log`), 'a');
  nodes[n] = spawn(bin, ['server', '--quiet', '--address', `${host}:${port(n)}`, ...drives], { cwd: path.join(base, `n${n}`), env, stdio: ['ignore', log, log] });
}
function kill(n) {
  nodes[n].kill('SIGKILL');
}
async function healthy(n) {
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`http://${host}:${port(n)}/minio/health/cluster`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await sleep(500);
  }
  throw new Error(`node ${n} never became healthy (see ${base}/n${n}.log)`);
}
const client = (n) => new Minio.Client({ endPoint: host, port: port(n), useSSL: false, accessKey: user, secretKey: password, region: 'us-east-1', retryOptions: { disableRetry: true } });
const reason = (e) => e.code ?? (/status: (\d+)/.exec(e.message)?.[1] ? `HTTP ${/status: (\d+)/.exec(e.message)[1]}` : e.message);
const head = (c, key) => c.statObject('src', key).then((s) => `200, version ${s.versionId}`, (e) => reason(e));
const del = (c, key) =>
  c.makeRequestAsyncOmit({ method: 'DELETE', bucketName: 'src', objectName: key }, '', [200, 204]).then(
    (r) => `${r.statusCode}, version ${r.headers['x-amz-version-id'] ?? 'none'}, delete marker ${r.headers['x-amz-delete-marker'] ?? 'none'}`,
    (e) => reason(e),
  );
const versions = (c, key) =>
  new Promise((resolve, reject) => {
    const out = [];
    c.listObjects('src', key, true, { IncludeVersion: true })
      .on('data', (o) => o.name === key && out.push(`${o.versionId}${o.isDeleteMarker ? ' (delete marker)' : ''}`))
      .on('end', () => resolve(out.join(', ') || 'none'))
      .on('error', reject);
  });

(async () => {
  for (const n of [1, 2, 3, 4]) start(n);
  for (const n of [1, 2, 3, 4]) await healthy(n);
  const [, c2, c3, c4] = [null, client(2), client(3), client(4)];
  await c2.makeBucket('src');
  await c2.setBucketVersioning('src', { Status: 'Enabled' });
  const png = 'user-1.png';
  const csv = 'user-1.csv';
  const v1 = await c2.putObject('src', csv, Buffer.from('first\n'));
  console.log(`every node up: PUT ${csv} -> version ${v1.versionId}`);
  kill(1);
  await sleep(3000);
  const p = await c2.putObject('src', png, Buffer.from('a picture'));
  const v2 = await c2.putObject('src', csv, Buffer.from('second\n'));
  console.log(`node 1 down: PUT ${png} -> version ${p.versionId}; PUT ${csv} -> version ${v2.versionId} (on the six drives left)`);
  start(1);
  await healthy(1);
  kill(2);
  await sleep(3000);
  console.log('node 1 back (without the two writes), node 2 down');
  if (tamper) {
    for (const key of [png, csv]) fs.renameSync(path.join(base, 'n3/d1/src', key), path.join(base, `${key}.aside`));
    console.log('node 3 drive 1 without them: three drives holding each answer');
  } else console.log('control (TAMPER=0): four drives holding each answer');
  console.log(`  HEAD ${csv}: ${await head(c4, csv)}   (current is ${v2.versionId})`);
  console.log(`  HEAD ${png}: ${await head(c4, png)}`);
  console.log(`  DELETE ${png}: ${await del(c4, png)}`);
  if (tamper) for (const key of [png, csv]) fs.renameSync(path.join(base, `${key}.aside`), path.join(base, 'n3/d1/src', key));
  start(2);
  await healthy(2);
  console.log('every node back');
  console.log(`  HEAD ${png}: ${await head(c3, png)}`);
  console.log(`  versions of ${png}: ${await versions(c3, png)}`);
})()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of Object.values(nodes)) child.kill('SIGKILL');
  });
