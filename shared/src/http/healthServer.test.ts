import { connect } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { buildHealthServer, type HealthChecks, type HealthServer } from './healthServer';

describe('a service health server', () => {
  let server: HealthServer;
  let url: string;
  let databaseDown: Error | undefined;

  beforeAll(async () => {
    const registry = new Registry();
    new Counter({ name: 'things_total', help: 'things counted', registers: [registry] }).inc(3);
    const checks: HealthChecks = {
      postgres: async () => {
        if (databaseDown) throw databaseDown;
      },
      minio: async () => undefined,
    };
    server = buildHealthServer({ registry, checks });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());
  afterEach(() => {
    databaseDown = undefined;
  });

  it('listens on a free port when given port 0 and says where', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
  });

  it('answers /healthz with 200 while the process runs', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 and every check ok when each dependency answers', async () => {
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', minio: 'ok' } });
  });

  it('answers /readyz with 503 naming the failing check and its error', async () => {
    databaseDown = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not ready', checks: { postgres: 'connect ECONNREFUSED 127.0.0.1:5432', minio: 'ok' } });
  });

  it("serves /metrics in Prometheus' text format, whatever its query string", async () => {
    const res = await fetch(`${url}/metrics?from=prometheus`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain('things_total 3');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await fetch(`${url}/healthz`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength('{"status":"ok"}')));
    expect(await res.text()).toBe('');
  });

  it('answers 404 for any other path', async () => {
    const res = await fetch(`${url}/data`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, message: 'Route GET:/data not found' });
  });

  it('answers 404 to a request line no URL parser accepts, and goes on serving', async () => {
    const { hostname, port } = new URL(url);
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect({ host: hostname, port: Number(port) }, () => socket.end('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 404 /);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers 405, with the methods it allows, for a method other than GET or HEAD', async () => {
    const res = await fetch(`${url}/readyz`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('can be closed twice, and before it listens', async () => {
    const other = buildHealthServer({ registry: new Registry(), checks: {} });
    await expect(other.close()).resolves.toBeUndefined();
    await other.listen({ host: '127.0.0.1', port: 0 });
    await other.close();
    await expect(other.close()).resolves.toBeUndefined();
  });
});
