import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// The local stack's shell helpers (infra/local/lib.sh), run as the scripts run them.
const LIB = path.resolve(__dirname, '../../../infra/local/lib.sh');
const bash = async (script: string): Promise<{ code: number; out: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', `source ${JSON.stringify(LIB)}; ${script}`]);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
};

describe('pid_alive', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'pid-alive-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is true for the process its pid file names', async () => {
    const file = path.join(dir, 'live.pid');
    writeFileSync(file, String(process.pid));
    expect((await bash(`pid_alive ${file}`)).code).toBe(0);
  });

  it('is false when the number now belongs to a process started after the file was written (a stale file after a restart)', async () => {
    const file = path.join(dir, 'stale.pid');
    writeFileSync(file, String(process.pid));
    const anHourBeforeThisProcess = (Date.now() - process.uptime() * 1000) / 1000 - 3600;
    utimesSync(file, anHourBeforeThisProcess, anHourBeforeThisProcess);
    expect((await bash(`pid_alive ${file}`)).code).toBe(1);
  });

  it('is false without a file', async () => {
    expect((await bash(`pid_alive ${path.join(dir, 'none.pid')}`)).code).toBe(1);
  });
});

describe('wait_port_free', () => {
  let server: Server;
  beforeAll(async () => {
    server = createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A free port, found by listening on it for a moment. */
  const freePort = async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  };

  it("waits while another process's connection holds the port as its own end, and returns once it has ended", async () => {
    const port = await freePort();
    const { port: serverPort } = server.address() as AddressInfo;
    // Another process, as an outgoing connection given our port by the kernel would be.
    const holder = spawn(process.execPath, ['-e', `const s = require('net').createConnection({ host: '127.0.0.1', port: ${serverPort}, localPort: ${port} }, () => console.log('held')); process.stdin.on('data', () => s.destroy()); process.stdin.on('end', () => process.exit(0));`]);
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const events: string[] = [];
    const waited = bash(`wait_port_free ${port} test-server`).then((r) => (events.push('returned'), r));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    events.push('released');
    holder.stdin.end();
    const result = await waited;
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`port ${port} is held by a connection of another process`));
    expect(events).toEqual(['released', 'returned']);
  });

  it('returns at once for a port nobody uses, or one a server listens on', async () => {
    expect(await bash(`wait_port_free ${await freePort()} test-server`)).toEqual({ code: 0, out: '' });
    const { port } = server.address() as AddressInfo;
    expect(await bash(`wait_port_free ${port} test-server`)).toEqual({ code: 0, out: '' });
  });
});

describe('ensure-env.sh', () => {
  const SCRIPT = path.resolve(__dirname, '../../../infra/local/ensure-env.sh');
  const EXAMPLE = path.resolve(__dirname, '../../../.env.example');
  let root: string;
  // A project of its own: the script finds .env and .env.example two folders above itself.
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ensure-env-'));
    mkdirSync(path.join(root, 'infra/local'), { recursive: true });
    copyFileSync(SCRIPT, path.join(root, 'infra/local/ensure-env.sh'));
    copyFileSync(EXAMPLE, path.join(root, '.env.example'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const run = () => promisify(execFile)('bash', [path.join(root, 'infra/local/ensure-env.sh')]);
  const env = () => readFileSync(path.join(root, '.env'), 'utf8');
  const setting = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(env())?.[1];

  it('writes .env from .env.example with a secret in place of each change-me value, and the comments as they are', async () => {
    await run();
    expect(env()).not.toMatch(/^[A-Z][A-Z0-9_]*=.*change-me/m);
    expect(setting('POSTGRES_PASSWORD')).toMatch(/^[0-9a-f]{24}$/);
    expect(env()).toContain('replaces each `change-me` with a random');
  });

  it('moves a retired default on (the direct exchange of the AMQP targets), and leaves every other value as it was', async () => {
    await run();
    writeFileSync(path.join(root, '.env'), env().replace(/^EVENTS_EXCHANGE=.*$/m, 'EVENTS_EXCHANGE=minio-events'));
    const password = setting('POSTGRES_PASSWORD');
    const { stderr } = await run();
    expect(setting('EVENTS_EXCHANGE')).toBe('amq.topic');
    expect(stderr).toContain('EVENTS_EXCHANGE was the old default minio-events, now amq.topic');
    expect(setting('POSTGRES_PASSWORD')).toBe(password);
  });

  it('keeps an exchange chosen on purpose', async () => {
    await run();
    writeFileSync(path.join(root, '.env'), env().replace(/^EVENTS_EXCHANGE=.*$/m, 'EVENTS_EXCHANGE=our-events'));
    await run();
    expect(setting('EVENTS_EXCHANGE')).toBe('our-events');
  });
});
