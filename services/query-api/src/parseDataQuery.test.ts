import { ageBounds } from '@userpipe/shared';
import { BadParameterError, encodeCursor, parseDataQuery } from './parseDataQuery';

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

  it('rejects min_age above max_age, naming min_age', () => {
    expect(() => parseDataQuery({ min_age: '40', max_age: '30' }, undefined, now)).toThrow(
      expect.objectContaining({ parameter: 'min_age', message: expect.stringMatching(/greater than max_age/) }),
    );
  });

  it('decodes a cursor it gave out', () => {
    expect(parseDataQuery({ cursor: encodeCursor('user-0042') }, undefined, now).filter.afterUserId).toBe('user-0042');
  });

  it('rejects a cursor it did not give out', () => {
    expect(() => parseDataQuery({ cursor: 'AAAA' }, undefined, now)).toThrow(BadParameterError);
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
