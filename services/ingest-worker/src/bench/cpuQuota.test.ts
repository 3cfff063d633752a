import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCpuQuota, findCpuController, quotaWrites } from './cpuQuota';

/** A directory laid out like /sys/fs/cgroup (only the files the quota looks at). */
function fakeCgroupRoot(layout: 'v2' | 'v2 without cpu' | 'v1' | 'none'): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cgroup-'));
  if (layout === 'v2') writeFileSync(path.join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
  if (layout === 'v2 without cpu') writeFileSync(path.join(root, 'cgroup.controllers'), 'cpuset io memory pids\n');
  if (layout === 'v1') {
    mkdirSync(path.join(root, 'cpu'));
    writeFileSync(path.join(root, 'cpu', 'cpu.cfs_quota_us'), '-1\n');
  }
  return root;
}

describe('a CPU quota for a bench process', () => {
  const roots: string[] = [];
  const root = (layout: Parameters<typeof fakeCgroupRoot>[0]) => {
    const r = fakeCgroupRoot(layout);
    roots.push(r);
    return r;
  };
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('uses cgroup v2 when the unified tree has the cpu controller', () => {
    const r = root('v2');
    expect(findCpuController(r)).toEqual({ version: 2, root: r });
  });

  it("uses v1's cpu hierarchy when the unified tree lacks the cpu controller, as on a hybrid layout", () => {
    const r = root('v1');
    writeFileSync(path.join(r, 'cgroup.controllers'), 'memory pids\n');
    expect(findCpuController(r)).toEqual({ version: 1, root: path.join(r, 'cpu') });
  });

  it('finds none when neither has it', () => {
    expect(findCpuController(root('v2 without cpu'))).toBeNull();
    expect(findCpuController(root('none'))).toBeNull();
  });

  it('writes half a core as 50 ms of every 100 ms', () => {
    expect(quotaWrites({ version: 2, root: '/cg' }, 'g', 0.5)).toEqual([
      ['/cg/cgroup.subtree_control', '+cpu'],
      ['/cg/g/cpu.max', '50000 100000'],
    ]);
    expect(quotaWrites({ version: 1, root: '/cg/cpu' }, 'g', 1.25)).toEqual([
      ['/cg/cpu/g/cpu.cfs_period_us', '100000'],
      ['/cg/cpu/g/cpu.cfs_quota_us', '125000'],
    ]);
  });

  it('creates the group with its quota, and runs a command through a shell that joins the group and then becomes the command', () => {
    const r = root('v1');
    const quota = createCpuQuota('drain-1', 0.5, 'DRAIN_WORKER_CPUS', r);
    expect(readFileSync(path.join(r, 'cpu', 'drain-1', 'cpu.cfs_quota_us'), 'utf8')).toBe('50000');
    const [file, args] = quota.command('/usr/bin/node', ['--flag', 'main.js']);
    expect(file).toBe('/bin/sh');
    expect(args).toEqual(['-c', 'echo $$ > "$0" && exec "$@"', path.join(r, 'cpu', 'drain-1', 'cgroup.procs'), '/usr/bin/node', '--flag', 'main.js']);
  });

  it('joins the group before the command starts, and the command keeps the pid that joined', () => {
    const r = root('v1');
    const quota = createCpuQuota('drain-2', 0.5, 'DRAIN_WORKER_CPUS', r);
    const [file, args] = quota.command('/bin/sh', ['-c', 'echo $$']);
    const printedPid = execFileSync(file, args, { encoding: 'utf8' }).trim();
    expect(readFileSync(path.join(r, 'cpu', 'drain-2', 'cgroup.procs'), 'utf8').trim()).toBe(printedPid);
  });

  it('refuses a share that is not a positive number, naming the setting', () => {
    const r = root('v1');
    expect(() => createCpuQuota('g', Number('half'), 'DRAIN_WORKER_CPUS', r)).toThrow(/DRAIN_WORKER_CPUS must be a positive number of cores/);
    expect(() => createCpuQuota('g', 0, 'DRAIN_WORKER_CPUS', r)).toThrow(/DRAIN_WORKER_CPUS/);
  });

  it('says what is missing when there is no cpu controller', () => {
    expect(() => createCpuQuota('g', 0.5, 'DRAIN_WORKER_CPUS', root('none'))).toThrow(/DRAIN_WORKER_CPUS needs the cgroup cpu controller/);
  });
});
