import { ageBounds, MEAN_YEAR_MS, yearsBefore } from './ageBounds';

const at = (iso: string) => new Date(iso);

describe('yearsBefore', () => {
  it('keeps the calendar date and time', () => {
    expect(yearsBefore(at('2026-11-24T12:34:56.789Z'), 30)).toEqual(at('1996-11-24T12:34:56.789Z'));
  });
  it('on 29 February, counts all of 28 February of a common year as had their birthday', () => {
    expect(yearsBefore(at('2024-02-29T06:00:00Z'), 1)).toEqual(at('2023-02-28T23:59:59.999Z'));
    expect(yearsBefore(at('2024-02-29T06:00:00Z'), 4)).toEqual(at('2020-02-29T06:00:00Z'));
  });
  it('reaches before 1970', () => {
    expect(yearsBefore(at('2026-01-01T00:00:00Z'), 100)).toEqual(at('1926-01-01T00:00:00Z'));
  });
});

describe('ageBounds', () => {
  const now = at('2026-11-24T12:00:00Z');

  it('min_age=30 keeps those who have had their 30th birthday', () => {
    expect(ageBounds(now, 30)).toEqual({ bornAtOrBefore: at('1996-11-24T12:00:00Z') });
  });

  it('max_age=30 keeps those who have not had their 31st birthday, so thirty and a half is 30', () => {
    const bounds = ageBounds(now, undefined, 30);
    expect(bounds).toEqual({ bornAfter: at('1995-11-24T12:00:00Z'), bornAfterInclusive: false });
    const thirtyAndAHalf = new Date(now.getTime() - 30.5 * MEAN_YEAR_MS);
    expect(thirtyAndAHalf > bounds.bornAfter!).toBe(true);
  });

  it('a decimal is an exact age: that fraction of a mean year past the birthday', () => {
    // Half a mean year (182 days 14:54:36) before now is 2026-05-25T21:05:24Z; thirty years before that.
    const exact = at('1996-05-25T21:05:24.000Z');
    expect(new Date(now.getTime() - 0.5 * MEAN_YEAR_MS)).toEqual(at('2026-05-25T21:05:24.000Z'));
    expect(ageBounds(now, 30.5, 30.5)).toEqual({ bornAtOrBefore: exact, bornAfter: exact, bornAfterInclusive: true });
  });

  it('min_age=0 keeps everyone born by now', () => {
    expect(ageBounds(now, 0)).toEqual({ bornAtOrBefore: now });
  });

  it('no bounds without filters', () => {
    expect(ageBounds(now)).toEqual({});
  });
});
