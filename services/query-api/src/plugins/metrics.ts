import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PoolState } from '../poolHealth';

/** Requests by route and status, their latency, and the database pool, in `registry` (served at /metrics by the health endpoints). */
export const apiMetrics = fp<{ registry: Registry; poolState: () => PoolState }>(
  async (app, { registry, poolState }) => {
    const labelNames = ['method', 'route', 'status'] as const;
    const requests = new Counter({ name: 'userpipe_api_requests_total', help: 'HTTP requests', labelNames, registers: [registry] });
    const latency = new Histogram({
      name: 'userpipe_api_request_duration_seconds',
      help: 'Time to the last byte of the reply',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers: [registry],
    });
    const pool = (name: string, help: string, read: (s: PoolState) => number) =>
      new Gauge({ name: `userpipe_api_db_pool_${name}`, help, registers: [registry], collect() { this.set(read(poolState())); } });
    pool('total', 'Database connections open', (s) => s.total);
    pool('idle', 'Database connections open and free', (s) => s.idle);
    pool('waiting', 'Requests waiting for a database connection', (s) => s.waiting);
    pool('starved_seconds', 'How long the pool has had no free connection (0 while it has one)', (s) => s.starvedForMs / 1000);
    app.addHook('onResponse', async (request, reply) => {
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
      requests.inc(labels);
      latency.observe(labels, reply.elapsedTime / 1000);
    });
  },
  { name: 'metrics' },
);
