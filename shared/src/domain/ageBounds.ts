/**
 * Age filters as birthdate bounds, so a query is an index range scan on birthdate instead of
 * an age computed for every row. Ages are as people state them, at the time `now`, in UTC:
 *
 * - A whole number n is completed years, birthday-aware: `min_age = n` keeps those who have had
 *   their n-th birthday (born on or before now minus n calendar years); `max_age = n` keeps those
 *   who have not had their (n+1)-th (born after now minus n+1 calendar years).
 * - A decimal n + f is an exact age: the n-th birthday plus f of a mean Gregorian year
 *   (365.2425 days). `min_age = 30.5` keeps those at least that old, `max_age = 30.5` those at
 *   most that old.
 *
 * Someone born on 29 February turns a year older at the start of 1 March in a common year.
 */

export const MEAN_YEAR_MS = 365.2425 * 24 * 60 * 60 * 1000;

export interface BirthdateBounds {
  /** Born at or before this instant. */
  bornAtOrBefore?: Date;
  /** Born after this instant (or at it, when `bornAfterInclusive`). */
  bornAfter?: Date;
  bornAfterInclusive?: boolean;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * The latest birth instant whose `years`-th birthday falls at or before `now`: the same
 * calendar moment `years` earlier. When `now` is 29 February and that year has none, everyone
 * born on 28 February has had their birthday and nobody born on 1 March has.
 */
export function yearsBefore(now: Date, years: number): Date {
  const y = now.getUTCFullYear() - years;
  const result = new Date(0);
  if (now.getUTCMonth() === 1 && now.getUTCDate() === 29 && !isLeap(y)) {
    result.setUTCFullYear(y, 2, 1);
    return new Date(result.getTime() - 1);
  }
  result.setUTCFullYear(y, now.getUTCMonth(), now.getUTCDate());
  result.setUTCHours(now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds());
  return result;
}

/** The latest birth instant of someone at least `age` years old at `now`. */
function bornExactly(now: Date, age: number): Date {
  const whole = Math.floor(age);
  return yearsBefore(new Date(now.getTime() - Math.round((age - whole) * MEAN_YEAR_MS)), whole);
}

export function ageBounds(now: Date, minAge?: number, maxAge?: number): BirthdateBounds {
  const bounds: BirthdateBounds = {};
  if (minAge !== undefined) bounds.bornAtOrBefore = bornExactly(now, minAge);
  if (maxAge !== undefined) {
    if (Number.isInteger(maxAge)) {
      bounds.bornAfter = yearsBefore(now, maxAge + 1);
      bounds.bornAfterInclusive = false;
    } else {
      bounds.bornAfter = bornExactly(now, maxAge);
      bounds.bornAfterInclusive = true;
    }
  }
  return bounds;
}

