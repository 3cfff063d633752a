/**
 * The sum of a counter over all its label sets in Prometheus' text format, or null when the
 * text has no sample of it. The worker's `userpipe_events_total` is counted by outcome
 * (services/ingest-worker/src/metrics.ts); any outcome, even "skipped", is the worker doing
 * work, which is what the stall detection needs.
 */
export function sumCounter(text: string, name: string): number | null {
  let sum: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    // The name must end here: `name{...} value` or `name value` (not `name_created`, not another metric).
    if (!(rest.startsWith('{') || rest.startsWith(' '))) continue;
    const afterLabels = rest.startsWith('{') ? rest.slice(closingBrace(rest) + 1) : rest;
    const value = Number(afterLabels.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

/** Where a label set ends, skipping braces inside quoted label values. */
function closingBrace(s: string): number {
  let quoted = false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '}' && !quoted) return i;
  }
  return s.length;
}
