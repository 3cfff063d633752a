import { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
export interface HealthChecks {
    /** Each resolves when its dependency answers; the name appears in the /readyz reply. */
    [name: string]: () => Promise<unknown>;
}
/** /healthz (the process answers), /readyz (its dependencies answer) and Prometheus /metrics. */
export declare function buildHttpServer(opts: {
    registry: Registry;
    checks: HealthChecks;
}): FastifyInstance;
