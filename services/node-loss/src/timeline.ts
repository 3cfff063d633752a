/**
 * What happened when during a run (storm start and end, kills, restarts, convergence), on the
 * clock of the progress samples, so the report can place the longest stall among them.
 */
export interface TimelineEntry {
  at: number;
  what: string;
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  add(what: string, at = this.now()): number {
    this.entries.push({ at, what });
    return at;
  }
}
