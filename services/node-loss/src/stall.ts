/**
 * The longest stall in processing: the longest time during which work was pending and nothing
 * progressed. Computed after the run from samples taken every ~250 ms, so it is pure and
 * unit-tested; its resolution is the sampling interval.
 */

export interface ProgressSample {
  /** When the sample was taken (ms, same clock as lastAckAt). */
  t: number;
  /**
   * Counters that move when the pipeline does work (the worker's handled events, Postgres' write
   * sequence). null: could not be read this time (the probe failed), which is not progress.
   */
  progress: Readonly<Record<string, number | null>>;
  /** Ready messages in the ingest queue; null when no node answered (counted as pending). */
  depth: number | null;
  /** When the client's latest acknowledged call completed: a change after the last progress is pending work. */
  lastAckAt: number | null;
  /** The storm is over and the bucket is known to be ahead of Postgres (not caught up yet). */
  behind: boolean;
}

export interface Stall {
  from: number;
  to: number;
  ms: number;
  /** Queue depth when it began (null: unknown). */
  depthAtStart: number | null;
  /** Whether it was still going at the last sample. */
  open: boolean;
}

/**
 * Every stall, in time order. Progress is any known counter differing from its last known value.
 * Work is pending when the queue holds messages (or cannot be read), when the client had a call
 * acknowledged after the last progress, or when the bucket is known to be ahead. A stall runs
 * from the first sample since the last progress at which work was pending (that progress' own
 * sample, if work was pending then) to the next progress, the first sample with nothing pending,
 * or the last sample. Its resolution is the sampling interval: a stall of one interval is not
 * reported, since progress was seen at both its ends.
 */
export function stalls(samples: readonly ProgressSample[]): Stall[] {
  const out: Stall[] = [];
  const known: Record<string, number> = {};
  let lastProgressAt = samples[0]?.t ?? 0;
  // quiet: samples in it that showed no progress. Progress seen at both ends of one sampling
  // interval is no stall (the pipeline moved within it), so a stall needs at least one.
  let open: { from: number; depth: number | null; quiet: number } | undefined;
  const close = (to: number, still: boolean) => {
    if (open && open.quiet > 0 && to > open.from) out.push({ from: open.from, to, ms: to - open.from, depthAtStart: open.depth, open: still });
    open = undefined;
  };
  samples.forEach((s, i) => {
    let moved = false;
    for (const [name, value] of Object.entries(s.progress)) {
      if (value === null) continue;
      if (name in known && known[name] !== value) moved = true;
      known[name] = value;
    }
    if (moved || i === 0) {
      close(s.t, false);
      lastProgressAt = s.t;
    }
    const pending = s.depth === null || s.depth > 0 || (s.lastAckAt !== null && s.lastAckAt > lastProgressAt) || s.behind;
    if (pending && !open) open = { from: s.t, depth: s.depth, quiet: 0 };
    else if (!pending && open) close(s.t, false);
    if (open && !moved && i > 0) open.quiet++;
  });
  const last = samples[samples.length - 1];
  if (last) close(last.t, true);
  return out;
}

/** The longest of them, or null when nothing ever waited. */
export function longestStall(samples: readonly ProgressSample[]): Stall | null {
  return stalls(samples).reduce<Stall | null>((best, s) => (!best || s.ms > best.ms ? s : best), null);
}
