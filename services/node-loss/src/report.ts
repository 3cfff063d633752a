import { relative } from 'node:path';
import type { CheckResult } from './checks';
import { REPO_ROOT } from './clusterControl';
import type { Stall } from './stall';
import type { TimelineEntry } from './timeline';

export interface FailureGroup {
  reason: string;
  count: number;
  first: number;
  last: number;
}

/** Failed attempts grouped by reason, most frequent first. */
export function groupFailures(log: readonly { at: number; reason: string }[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const { at, reason } of log) {
    const g = groups.get(reason);
    if (!g) groups.set(reason, { reason, count: 1, first: at, last: at });
    else Object.assign(g, { count: g.count + 1, first: Math.min(g.first, at), last: Math.max(g.last, at) });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.first - b.first);
}

/** Everything one run measured, for the report. */
export interface RunSummary {
  run: number;
  runs: number;
  prefix: string;
  users: number;
  clients: number;
  faults: boolean;
  ops: number;
  opsByWhat: Record<string, number>;
  stormStartedAt: number;
  stormEndedAt: number;
  /** Failed attempts by reason: how many, the first and last (each retried until acknowledged). */
  failures: FailureGroup[];
  retriedOps: number;
  timeline: TimelineEntry[];
  caughtUpAt: number | null;
  passedAt: number | null;
  checkedAt: number | null;
  deadlineMs: number;
  behind: string[];
  busyQueues: Record<string, number | null>;
  longestStall: Stall | null;
  stalls: Stall[];
  samples: number;
  checks: CheckResult[];
  /** Where the raw samples and timeline were written. */
  samplesFile?: string;
  /** Where every attempt of the storm was written (attemptLog.ts). */
  attemptsFile?: string;
  /** Attempts made, and the keys whose DELETE was answered 2xx without a delete marker (MinIO wrote nothing). */
  attempts?: number;
  noMarkerDeletes?: string[];
  /** Check (a) failed: each differing key's attempts, as lines. */
  histories?: string[];
  /** Something broke the run itself (the storm gave up, a kill failed). */
  error?: string;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const at = (ms: number, origin: number) => `${ms >= origin ? '+' : '-'}${s(Math.abs(ms - origin))}`;

/** The entry a stall began after (the latest at or before its start), to tie it to a kill or a restart. */
export function cause(stall: Stall, timeline: readonly TimelineEntry[]): string {
  const before = timeline.filter((e) => e.at <= stall.from).at(-1);
  return before ? `${s(stall.from - before.at)} after "${before.what}"` : 'before any event of the timeline';
}

export function passed(r: RunSummary): boolean {
  return !r.error && r.passedAt !== null && r.checks.length === 5 && r.checks.every((c) => c.ok);
}

/** The run's report: the figures, then one PASS/FAIL line per check, then its one-line verdict. */
export function formatRun(r: RunSummary): string[] {
  const o = r.stormStartedAt;
  const lines: string[] = [];
  lines.push(`node-loss run ${r.run}/${r.runs}: ${r.users} users (ids ${r.prefix}*), ${r.clients} clients, faults ${r.faults ? 'on' : 'off'}`);
  const stormMs = r.stormEndedAt - r.stormStartedAt;
  const kinds = Object.entries(r.opsByWhat).map(([k, n]) => `${n} ${k}`).join(', ');
  lines.push(`  storm: ${r.ops} operations in ${s(stormMs)} (${(r.ops / Math.max(stormMs / 1000, 0.001)).toFixed(0)}/s): ${kinds}`);
  lines.push(
    r.failures.length === 0
      ? '  storm: every call acknowledged at the first attempt'
      : `  storm: ${r.retriedOps} operations retried until acknowledged; failed attempts: ${r.failures
          .map((f) => `${f.reason} ×${f.count} (${f.count === 1 ? at(f.first, o) : `${at(f.first, o)} to ${at(f.last, o)}`})`)
          .join(', ')}`,
  );
  if (r.attempts !== undefined)
    lines.push(
      `  storm: ${r.attempts} attempts${r.attemptsFile ? `, each in ${relative(REPO_ROOT, r.attemptsFile)}` : ''}; ` +
        (r.noMarkerDeletes?.length
          ? `${r.noMarkerDeletes.length} keys' DELETEs answered 2xx WITHOUT a delete marker (MinIO read the key as absent and wrote nothing; sent again until one was written): ${r.noMarkerDeletes.slice(0, 5).join(', ')}${r.noMarkerDeletes.length > 5 ? ', …' : ''}`
          : 'every DELETE answered 2xx wrote a delete marker'),
    );
  lines.push('  timeline (from the storm\'s start):');
  for (const e of [...r.timeline].sort((a, b) => a.at - b.at)) lines.push(`    ${at(e.at, o).padStart(8)}  ${e.what}`);
  if (r.caughtUpAt !== null) lines.push(`  Postgres caught up with the bucket ${s(r.caughtUpAt - r.stormEndedAt)} after the storm`);
  if (r.passedAt !== null)
    lines.push(
      `  converged (every check of the pipeline held, queues empty) ${s(r.passedAt - r.stormEndedAt)} after the storm` +
        (r.checkedAt !== null ? ` (that look's listing, oracle and checks took ${s(r.checkedAt - r.passedAt)})` : ''),
    );
  else {
    lines.push(`  NOT converged within ${s(r.deadlineMs)} of the storm's end`);
    if (r.behind.length) lines.push(`    ${r.behind.length} users' rows still behind the bucket: ${r.behind.slice(0, 5).join(', ')}${r.behind.length > 5 ? ', …' : ''}`);
    const busy = Object.entries(r.busyQueues);
    if (busy.length) lines.push(`    queues not empty: ${busy.map(([q, n]) => `${q} ${n ?? 'unreadable'}`).join(', ')}`);
  }
  if (r.longestStall) {
    const l = r.longestStall;
    lines.push(
      `  longest stall in processing: ${s(l.ms)}, ${at(l.from, o)} to ${at(l.to, o)}${l.open ? ' (still stalled at the last sample)' : ''}, queue depth ${l.depthAtStart ?? 'unreadable'} at its start, ${cause(l, r.timeline)}`,
    );
    const others = [...r.stalls].sort((a, b) => b.ms - a.ms).slice(1, 4).filter((x) => x.ms >= 1000);
    for (const x of others) lines.push(`    next longest: ${s(x.ms)}, ${at(x.from, o)} to ${at(x.to, o)}, ${cause(x, r.timeline)}`);
  } else lines.push('  longest stall in processing: none (work never waited)');
  lines.push(`  (${r.samples} progress samples, every 250 ms: the worker's handled events, Postgres' write sequence, the ingest queue's depth${r.samplesFile ? `; in ${relative(REPO_ROOT, r.samplesFile)}` : ''})`);
  if (r.error) lines.push(`  ERROR: ${r.error}`);
  for (const c of r.checks) {
    lines.push(`  ${c.ok ? 'PASS' : 'FAIL'} (${c.id}) ${c.name}: ${c.detail}`);
    if (!c.ok && c.id === 'a' && r.histories?.length) lines.push("    what the storm sent for each (times from the storm's start):", ...r.histories);
  }
  lines.push(verdict(`node-loss run ${r.run}/${r.runs}`, [r]));
  return lines;
}

/**
 * One line for runs: the slowest convergence, the longest stall, the checks counted. Worded so
 * that no CI log reader takes it for pytest's closing line.
 */
export function verdict(label: string, runs: readonly RunSummary[]): string {
  const checks = runs.flatMap((r) => r.checks);
  const ok = checks.filter((c) => c.ok).length;
  const notRun = runs.reduce((n, r) => n + (5 - r.checks.length), 0);
  const unconverged = runs.filter((r) => r.passedAt === null).length;
  const slowest = Math.max(...runs.map((r) => (r.passedAt ?? r.stormEndedAt) - r.stormEndedAt));
  const stall = Math.max(0, ...runs.map((r) => r.longestStall?.ms ?? 0));
  const converged = unconverged === 0 ? `converged in ${s(slowest)}` : `${unconverged} of ${runs.length} runs did not converge`;
  const failed = checks.length - ok + notRun;
  const suffix = runs.length > 1 ? ` (${runs.length} runs; ${runs.filter(passed).length} passed)` : '';
  return `${label}: ${converged}; longest stall ${s(stall)}; checks ${ok} passed, ${failed} failed${suffix}`;
}
