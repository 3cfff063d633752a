import { completedYears, describeProgress, formatAgo, formatBytes, formatCount, formatDate, formatDateTime, formatDuration, formatNumber } from './format';

const at = (iso: string) => new Date(iso);
const born = (iso: string) => Date.parse(iso);

describe('completedYears', () => {
  const now = at('2026-11-24T12:00:00Z');

  it('counts a birthday that came today, to the millisecond', () => {
    expect(completedYears(born('1996-11-24T12:00:00Z'), now)).toBe(30);
    expect(completedYears(born('1996-11-24T12:00:00.001Z'), now)).toBe(29);
  });

  it('is 30 for someone thirty and a half, as max_age=30 finds them', () => {
    expect(completedYears(born('1996-05-25T00:00:00Z'), now)).toBe(30);
  });

  it('is 0 for a newborn', () => {
    expect(completedYears(now.getTime(), now)).toBe(0);
  });

  it('reaches before 1970', () => {
    expect(completedYears(born('1912-06-23T00:00:00Z'), now)).toBe(114);
  });

  it('turns someone born on 29 February a year older at the start of 1 March in a common year', () => {
    const leapling = born('2000-02-29T08:00:00Z');
    expect(completedYears(leapling, at('2025-02-28T23:59:59.999Z'))).toBe(24);
    expect(completedYears(leapling, at('2025-03-01T00:00:00Z'))).toBe(25);
    expect(completedYears(leapling, at('2024-02-29T08:00:00Z'))).toBe(24);
  });

  it('on 29 February, counts everyone born on 28 February of a common year as a year older', () => {
    expect(completedYears(born('2023-02-28T23:00:00Z'), at('2024-02-29T06:00:00Z'))).toBe(1);
    expect(completedYears(born('2023-03-01T00:00:00Z'), at('2024-02-29T06:00:00Z'))).toBe(0);
  });
});

describe('formatting', () => {
  it('writes dates in UTC', () => {
    expect(formatDate('1999-10-05T23:41:48.447Z')).toBe('1999-10-05');
    expect(formatDateTime('2026-11-25T06:03:02.999Z')).toBe('2026-11-25 06:03:02 UTC');
  });

  it.each([
    [0, '0 s'],
    [0.2, '200 ms'],
    [1, '1 s'],
    [42.4, '42 s'],
    [185, '3 min 5 s'],
    [180, '3 min'],
    [7800, '2 h 10 min'],
    [7200, '2 h'],
  ])('writes %d seconds as %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it('writes how long ago', () => {
    expect(formatAgo('2026-11-25T10:00:00Z', at('2026-11-25T10:03:00Z'))).toBe('3 min ago');
  });

  it('groups thousands', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(20.5)).toBe('20.5');
  });

  it('writes counts, exact, capped or estimated', () => {
    expect(formatCount({ count: 1, capped: false }, 'user')).toBe('1 user');
    expect(formatCount({ count: 1234, capped: false }, 'user')).toBe('1,234 users');
    expect(formatCount({ count: 10000, capped: true }, 'user')).toBe('more than 10,000 users');
    expect(formatCount({ count: 1000000, exact: false }, 'user')).toBe('about 1,000,000 users');
  });

  it('writes sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(48_000_000)).toBe('48 MB');
  });
});

describe('describeProgress', () => {
  it('says how many users are done, how fast, and how long is left', () => {
    expect(describeProgress({ done: 1234, total: 10000, per_second: 120.5, eta_seconds: 75 })).toBe('1,234 of 10,000 users · 120.5 users/s · 1 min 15 s left');
  });

  it('says when the time left is not known yet', () => {
    expect(describeProgress({ done: 0, total: 10, per_second: 0, eta_seconds: null })).toBe('0 of 10 users · 0 users/s · time left not known yet');
  });
});
