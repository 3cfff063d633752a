"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createWorkerMetrics = createWorkerMetrics;
const prom_client_1 = require("prom-client");
/** The worker's Prometheus metrics, on a registry of its own so several workers can share a process (tests). */
function createWorkerMetrics() {
    const registry = new prom_client_1.Registry();
    (0, prom_client_1.collectDefaultMetrics)({ register: registry });
    return {
        registry,
        events: new prom_client_1.Counter({
            name: 'userpipe_events_total',
            help: 'Bucket event records handled, by outcome (inserted, updated, unchanged, deleted, absent, rejected, ignored, other_bucket, failed)',
            labelNames: ['outcome'],
            registers: [registry],
        }),
        reconcileSeconds: new prom_client_1.Histogram({
            name: 'userpipe_reconcile_duration_seconds',
            help: 'Time to reconcile one user, lock to commit',
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
            registers: [registry],
        }),
        rejections: new prom_client_1.Counter({
            name: 'userpipe_rejections_total',
            help: 'User files found unusable',
            registers: [registry],
        }),
        exports: new prom_client_1.Counter({
            name: 'userpipe_exports_total',
            help: 'output.csv exports, by result',
            labelNames: ['result'],
            registers: [registry],
        }),
        exportSeconds: new prom_client_1.Histogram({
            name: 'userpipe_export_duration_seconds',
            help: 'Time to write output.csv from a snapshot',
            buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
            registers: [registry],
        }),
    };
}
//# sourceMappingURL=metrics.js.map