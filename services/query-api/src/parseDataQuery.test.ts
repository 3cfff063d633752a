import { ageBounds } from '@userpipe/shared';
import { parseDataQuery } from './parseDataQuery';

const now = new Date('2026-11-24T12:00:00Z');

describe('parseDataQuery', () => {
  it('without parameters selects everyone, as JSON', () => {
    expect(parseDataQuery({}, undefined, now)).toEqual({ filter: { bounds: {} }, limit: undefined, format: 'json' });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['False', false],
    ['0', false],
  ])('reads is_image_exists=%s as %s', (value, hasImage) => {
    expect(parseDataQuery({ is_image_exists: value }, undefined, now).filter.hasImage).toBe(hasImage);
  });

  it('turns ages into birthdate bounds', () => {
    expect(parseDataQuery({ min_age: '30', max_age: '40.5' }, undefined, now).filter.bounds).toEqual(ageBounds(now, 30, 40.5));
  });

  it('accepts equal bounds', () => {
    expect(() => parseDataQuery({ min_age: '30', max_age: '30' }, undefined, now)).not.toThrow();
  });

  it('takes bounds that no age meets together as a filter that matches nobody', () => {
    const { bornAtOrBefore, bornAfter } = parseDataQuery({ min_age: '40', max_age: '30' }, undefined, now).filter.bounds ?? {};
    expect(bornAtOrBefore!.getTime()).toBeLessThan(bornAfter!.getTime());
  });

  it('keeps a whole max_age below a decimal min_age that it still overlaps (thirty and a half is 30)', () => {
    const { bornAtOrBefore, bornAfter } = parseDataQuery({ min_age: '30.5', max_age: '30' }, undefined, now).filter.bounds ?? {};
    expect(bornAtOrBefore!.getTime()).toBeGreaterThan(bornAfter!.getTime());
  });

  it('starts a page after the user_id given as the cursor', () => {
    expect(parseDataQuery({ cursor: 'user-0042' }, undefined, now).filter.afterUserId).toBe('user-0042');
  });

  it.each([
    [{}, 'text/csv', 'csv'],
    [{}, 'text/csv;q=0.9, */*;q=0.1', 'csv'],
    [{}, 'application/json', 'json'],
    [{}, '*/*', 'json'],
    [{ format: 'csv' as const }, 'application/json', 'csv'],
    [{ format: 'json' as const }, 'text/csv', 'json'],
  ])('picks the format from %j and Accept %s', (query, accept, format) => {
    expect(parseDataQuery(query, accept, now).format).toBe(format);
  });
});
