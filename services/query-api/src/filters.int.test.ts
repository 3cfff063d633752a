import { TestStack } from '@userpipe/shared/testing';
import { seedUsers, startTestQueryApi } from './testQueryApi';
import type { RunningQueryApi } from './startQueryApi';

// GET /data's filters against an independent computation of ages over a population whose
// birthdays sit on the edges. The clock is fixed so "today" cannot move during the test.

const MEAN_YEAR_MS = 365.2425 * 86_400_000;
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** When someone born at `b` has their birthday in year `year`: 29 February moves to the start of 1 March. */
function birthdayIn(b: Date, year: number): number {
  if (b.getUTCMonth() === 1 && b.getUTCDate() === 29 && !isLeap(year)) return Date.UTC(year, 2, 1);
  return Date.UTC(year, b.getUTCMonth(), b.getUTCDate(), b.getUTCHours(), b.getUTCMinutes(), b.getUTCSeconds(), b.getUTCMilliseconds());
}

function completedYears(b: Date, now: number): number {
  const year = new Date(now).getUTCFullYear();
  return year - b.getUTCFullYear() - (birthdayIn(b, year) > now ? 1 : 0);
}

/** Age at least `a`: completed years for a whole number; the n-th birthday plus the fraction of a mean year for a decimal. */
function atLeast(b: Date, a: number, now: number): boolean {
  if (Number.isInteger(a)) return completedYears(b, now) >= a;
  const n = Math.floor(a);
  return birthdayIn(b, b.getUTCFullYear() + n) + Math.round((a - n) * MEAN_YEAR_MS) <= now;
}

function atMost(b: Date, a: number, now: number): boolean {
  if (Number.isInteger(a)) return completedYears(b, now) <= a;
  const n = Math.floor(a);
  return birthdayIn(b, b.getUTCFullYear() + n) + Math.round((a - n) * MEAN_YEAR_MS) >= now;
}

/** A moment `years` calendar years and `ms` milliseconds before `now`, built from calendar fields. */
function before(now: number, years: number, ms = 0): number {
  const d = new Date(now - ms);
  return Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

function population(now: number): { user_id: string; birthts: number; img_path: string | null }[] {
  const births: number[] = [now, now - 1];
  for (const years of [1, 17, 18, 29, 30, 31, 45, 99, 100]) for (const delta of [-1, 0, 1]) births.push(before(now, years) + delta);
  const halfYear = Math.round(0.5 * MEAN_YEAR_MS);
  for (const delta of [-1, 0, 1]) births.push(before(now - halfYear, 30) + delta, before(now - halfYear, 17) + delta);
  births.push(Date.UTC(2000, 1, 29, 6), Date.UTC(1996, 1, 29, 23, 59, 59, 999), Date.UTC(1926, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 999));
  // Where a leap-day clock puts the edge: the turn from 28 February to 1 March of a common year.
  const year = new Date(now).getUTCFullYear();
  for (const years of [18, 30, 31]) for (const delta of [-1, 0, 1]) births.push(Date.UTC(year - years, 2, 1) + delta);
  return births.map((birthts, i) => ({ user_id: `u${String(i).padStart(3, '0')}`, birthts, img_path: i % 3 === 0 ? `src/u${i}.png` : null }));
}

const CLOCKS = {
  'an ordinary day': Date.parse('2026-11-24T12:00:00.000Z'),
  'the day before a leap-day birthday would fall, in a common year': Date.parse('2026-02-28T12:00:00.000Z'),
  'the day a leap-day birthday is kept, in a common year': Date.parse('2026-03-01T00:00:00.000Z'),
  'a leap day': Date.parse('2028-02-29T06:00:00.000Z'),
};

describe.each(Object.entries(CLOCKS))('age filters on %s', (_day, now) => {
  let stack: TestStack;
  let api: RunningQueryApi;
  const people = population(now);

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack, { now: () => new Date(now) });
    await seedUsers(stack, people);
  });
  afterAll(() => stack.dispose());

  async function ids(query: string): Promise<string[]> {
    const res = await fetch(`${api.url}/data?${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { user_id: string }[]).map((u) => u.user_id);
  }

  const expected = (keep: (b: Date, hasImage: boolean) => boolean) =>
    people.filter((p) => keep(new Date(p.birthts), p.img_path !== null)).map((p) => p.user_id).sort();

  it.each([0, 1, 18, 30, 30.5, 31, 99.5, 100])('min_age=%s keeps exactly those at least that old', async (a) => {
    expect(await ids(`min_age=${a}`)).toEqual(expected((b) => atLeast(b, a, now)));
  });

  it.each([0, 17, 17.5, 30, 30.5, 45, 99])('max_age=%s keeps exactly those at most that old', async (a) => {
    expect(await ids(`max_age=${a}`)).toEqual(expected((b) => atMost(b, a, now)));
  });

  it.each([
    [18, 30],
    [30, 30],
    [30.5, 30.5],
    [17.5, 31],
    [0, 0],
  ])('min_age=%s&max_age=%s keeps exactly those in between', async (lo, hi) => {
    expect(await ids(`min_age=${lo}&max_age=${hi}`)).toEqual(expected((b) => atLeast(b, lo, now) && atMost(b, hi, now)));
  });

  it.each([
    ['true', true],
    ['1', true],
    ['FALSE', false],
    ['0', false],
  ])('is_image_exists=%s combines with the age filter', async (value, withImage) => {
    expect(await ids(`is_image_exists=${value}&min_age=18`)).toEqual(expected((b, hasImage) => hasImage === withImage && atLeast(b, 18, now)));
  });

  it('returns everyone, in user_id order, without filters', async () => {
    expect(await ids('')).toEqual(people.map((p) => p.user_id).sort());
  });

  it('the population really sits on the edges', () => {
    // Guards the test itself: bounds must split people born a millisecond apart, so an
    // off-by-one in the API would change a result above.
    const byBirth = [...people].sort((x, y) => x.birthts - y.birthts);
    const splits = [18, 30, 30.5, 31].filter((a) =>
      byBirth.some((p, i) => {
        const next = byBirth[i + 1];
        return next !== undefined && next.birthts - p.birthts <= 1 && atLeast(new Date(p.birthts), a, now) !== atLeast(new Date(next.birthts), a, now);
      }),
    );
    expect(splits.length).toBeGreaterThanOrEqual(3);
  });
});
