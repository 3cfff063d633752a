// How the console writes values: pure functions, so the tests pin them down.

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * The latest birth instant whose `years`-th birthday is at or before `now`: the same calendar
 * moment `years` earlier (as the API's age filters compute it, shared/src/domain/ageBounds.ts).
 */
function yearsBefore(now: Date, years: number): number {
  const y = now.getUTCFullYear() - years;
  const result = new Date(0);
  if (now.getUTCMonth() === 1 && now.getUTCDate() === 29 && !isLeap(y)) {
    result.setUTCFullYear(y, 2, 1);
    return result.getTime() - 1;
  }
  result.setUTCFullYear(y, now.getUTCMonth(), now.getUTCDate());
  result.setUTCHours(now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds());
  return result.getTime();
}

/**
 * Completed years in UTC, birthday-aware, as GET /data's whole-number ages count them: someone
 * born on 29 February turns a year older at the start of 1 March in a common year. So a user
 * shown as 30 is one that min_age=30&max_age=30 finds.
 */
export function completedYears(birthts: number, now: Date): number {
  const born = new Date(birthts);
  let years = now.getUTCFullYear() - born.getUTCFullYear();
  if (birthts > yearsBefore(now, years)) years -= 1;
  return Math.max(0, years);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `1990-05-17`, in UTC, as the API's birthdates are. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCFullYear() < 0 ? '-' : ''}${pad(Math.abs(d.getUTCFullYear()), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `2026-11-25 16:13:02 UTC`. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return `${formatDate(iso)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** `200 ms`, `42 s`, `3 min 5 s`, `2 h 10 min`: as long as a person needs to read it. */
export function formatDuration(seconds: number): string {
  if (seconds > 0 && seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

/** `12 s ago`, `3 min ago`. */
export function formatAgo(iso: string, now: Date): string {
  return `${formatDuration((now.getTime() - new Date(iso).getTime()) / 1000)} ago`;
}

/** `1,234,567`: grouped, whatever the browser's locale, so tests and screenshots agree. */
export function formatNumber(n: number): string {
  const [whole, fraction] = String(Math.abs(n)).split('.');
  return `${n < 0 ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''}`;
}

/** A count as the API gives it: exact, or only a bound. */
export function formatCount(count: { count: number; capped?: boolean; exact?: boolean }, noun: string): string {
  const n = `${formatNumber(count.count)} ${noun}${count.count === 1 ? '' : 's'}`;
  if (count.capped) return `more than ${n}`;
  if (count.exact === false) return `about ${n}`;
  return n;
}

/** `1.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A running job's progress in a line: `1,234 of 10,000 users · 120 users/s · 1 min 15 s left`. */
export function describeProgress(p: { done: number; total: number; per_second: number; eta_seconds: number | null }): string {
  const parts = [`${formatNumber(p.done)} of ${formatNumber(p.total)} users`, `${formatNumber(p.per_second)} users/s`];
  parts.push(p.eta_seconds === null ? 'time left not known yet' : `${formatDuration(p.eta_seconds)} left`);
  return parts.join(' · ');
}
