import { ExportLeader, type Logger, type WorkerSettings } from '@userpipe/shared';
export interface RunningWorker {
    /** Address of the health and metrics server. */
    url: string;
    exporter: ExportLeader;
    stop(): Promise<void>;
}
/**
 * Wires the shared pieces into a worker: provisioning (migrations, buckets, bucket
 * subscription, queue topology), the AMQP consumer invoking the handler, the output.csv
 * exporter, and the health and metrics server. Holds no state between messages.
 */
export declare function startWorker(settings: WorkerSettings, logger: Logger): Promise<RunningWorker>;
