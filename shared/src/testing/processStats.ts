import { readFileSync } from 'node:fs';

// What the benchmarks read of a process from Linux's /proc (and of the machine, /proc/stat).

/** A live process's /proc stat line, or null once it is gone. */
export function procStat(pid: number | string): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

/** The process's name (comm) on its stat line. */
export const statName = (stat: string): string => stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));

/** CPU time (user and system) a process has used so far, in ms, from its stat line: utime and stime, in clock ticks of 10 ms. */
export function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time a process has used so far, in ms; 0 once it is gone. */
export function processCpuMs(pid: number | string): number {
  const stat = procStat(pid);
  return stat === null ? 0 : statCpuMs(stat);
}

/** VmRSS, or VmHWM (the peak the kernel kept), of a live process, in kB; 0 once it is gone. */
export function processMemoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Time the machine's cores have been busy so far, in ms: the first line of /proc/stat (ticks of 10 ms by state), idle and iowait left out. */
export function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (cpu.reduce((a, b) => a + b, 0) - cpu[3]! - cpu[4]!) * 10;
}
