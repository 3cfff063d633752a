import { Counter, Histogram, Registry } from 'prom-client';
/** The worker's Prometheus metrics, on a registry of its own so several workers can share a process (tests). */
export declare function createWorkerMetrics(): {
    registry: Registry<"text/plain; version=0.0.4; charset=utf-8">;
    events: Counter<"outcome">;
    reconcileSeconds: Histogram<string>;
    rejections: Counter<string>;
    exports: Counter<"result">;
    exportSeconds: Histogram<string>;
};
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
