import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's root, from services/node-loss/dist. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const CLUSTER_SH = join(REPO_ROOT, 'infra', 'local', 'cluster.sh');

export type NodeKind = 'rabbitmq' | 'minio';

/**
 * The clustered stack's own control script (infra/local/cluster.sh), which knows where each
 * node runs: which RabbitMQ node leads a queue, a node's OS pid, and `up` to restart whatever
 * is down. The test kills with the pid itself (SIGKILL: no goodbye to the cluster or its clients).
 */
export class ClusterControl {
  static available(): boolean {
    return existsSync(CLUSTER_SH);
  }

  /** The RabbitMQ node (1..n) leading a queue. */
  async leader(queue: string): Promise<number> {
    return this.number(await this.run(['leader', queue], 30_000), `leader ${queue}`);
  }

  async pid(kind: NodeKind, node: number): Promise<number> {
    return this.number(await this.run(['pid', kind, String(node)], 30_000), `pid ${kind} ${node}`);
  }

  /** Restarts whatever node is down (idempotent); resolves when the script is done. */
  async up(): Promise<string> {
    return this.run(['up'], 300_000);
  }

  private number(out: string, what: string): number {
    const n = Number(out.trim());
    if (!Number.isInteger(n) || n < 1) throw new Error(`cluster.sh ${what} printed ${JSON.stringify(out.trim())}, not a number`);
    return n;
  }

  private run(args: string[], timeoutMs: number): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      execFile(CLUSTER_SH, args, { cwd: REPO_ROOT, env: process.env, timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`cluster.sh ${args.join(' ')} failed: ${err.message.trim()}${stderr ? `\n${stderr.trim()}` : ''}`));
        else resolvePromise(stdout);
      });
    });
  }
}
