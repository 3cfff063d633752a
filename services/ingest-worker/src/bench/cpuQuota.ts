import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A process held to a share of the cores, as a container's CPU limit holds it (`cpus: 0.5` in
 * compose, `cpu: 500m` in Kubernetes): a cgroup of its own with a CFS quota. The drain bench
 * uses it (DRAIN_WORKER_CPUS) to compare one worker with two where the workers are the limit,
 * not the machine: on two cores shared with MinIO, RabbitMQ and Postgres, workers that may use
 * every core have none to spare for a second (docs/scaling.md, "Where it stops", the workers).
 */
export interface CpuQuota {
  /** The command and arguments that run `file args` inside the cgroup from its first instruction. */
  command(file: string, args: readonly string[]): [string, string[]];
  /** Removes the cgroup once its processes have exited. */
  remove(): void;
}

const PERIOD_US = 100_000;

/** Where the cpu controller lives: cgroup v2's unified tree, or v1's own hierarchy. */
export interface CpuController {
  version: 1 | 2;
  root: string;
}

export function findCpuController(cgroupRoot = '/sys/fs/cgroup'): CpuController | null {
  const controllers = path.join(cgroupRoot, 'cgroup.controllers');
  if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) {
    return { version: 2, root: cgroupRoot };
  }
  const v1 = path.join(cgroupRoot, 'cpu');
  if (existsSync(path.join(v1, 'cpu.cfs_quota_us'))) return { version: 1, root: v1 };
  return null;
}

/** The files a quota of `cpus` cores is written to, in order, with what each gets. */
export function quotaWrites(controller: CpuController, group: string, cpus: number): [file: string, content: string][] {
  const quota = String(Math.round(cpus * PERIOD_US));
  if (controller.version === 2) {
    return [
      // The parent must hand the cpu controller down before a child can have cpu.max.
      [path.join(controller.root, 'cgroup.subtree_control'), '+cpu'],
      [path.join(controller.root, group, 'cpu.max'), `${quota} ${PERIOD_US}`],
    ];
  }
  return [
    [path.join(controller.root, group, 'cpu.cfs_period_us'), String(PERIOD_US)],
    [path.join(controller.root, group, 'cpu.cfs_quota_us'), quota],
  ];
}

/**
 * Creates the cgroup `group` holding its processes to `cpus` cores. It needs root (or a
 * delegated cgroup); the error says so, naming `setting`.
 */
export function createCpuQuota(group: string, cpus: number, setting: string, cgroupRoot = '/sys/fs/cgroup'): CpuQuota {
  if (!(cpus > 0)) throw new Error(`${setting} must be a positive number of cores, as in 0.5: got ${cpus}`);
  const controller = findCpuController(cgroupRoot);
  if (!controller) throw new Error(`${setting} needs the cgroup cpu controller, under ${cgroupRoot} (v2) or ${cgroupRoot}/cpu (v1): found neither`);
  const dir = path.join(controller.root, group);
  try {
    mkdirSync(dir);
    for (const [file, content] of quotaWrites(controller, group, cpus)) writeFileSync(file, content);
  } catch (err) {
    throw new Error(`${setting} could not set up the cgroup ${dir} (it needs root): ${(err as Error).message}`);
  }
  const procs = path.join(dir, 'cgroup.procs');
  return {
    // The shell joins the cgroup, then becomes the process: same pid, capped from its start.
    command: (file, args) => ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', procs, file, ...args]],
    remove: () => {
      try {
        rmdirSync(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
  };
}
