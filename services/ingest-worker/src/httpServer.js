"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildHttpServer = buildHttpServer;
const fastify_1 = __importDefault(require("fastify"));
/** /healthz (the process answers), /readyz (its dependencies answer) and Prometheus /metrics. */
function buildHttpServer(opts) {
    const app = (0, fastify_1.default)({ logger: false });
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) => {
        const results = await Promise.all(Object.entries(opts.checks).map(async ([name, check]) => {
            try {
                await check();
                return [name, 'ok'];
            }
            catch (err) {
                return [name, err.message || 'failed'];
            }
        }));
        const ready = results.every(([, status]) => status === 'ok');
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
    });
    app.get('/metrics', async (_req, reply) => {
        return reply.type(opts.registry.contentType).send(await opts.registry.metrics());
    });
    return app;
}
//# sourceMappingURL=httpServer.js.map