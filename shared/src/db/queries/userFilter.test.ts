import { userFilterLiteralSql, userFilterSql } from './userFilter';

const d = (iso: string) => new Date(iso);

describe('userFilterSql', () => {
  it('selects everyone without a filter', () => {
    expect(userFilterSql({})).toEqual({ text: 'TRUE', values: [] });
  });

  it('turns every filter into a condition on an indexed column', () => {
    expect(
      userFilterSql({
        hasImage: true,
        bounds: { bornAtOrBefore: d('1996-11-24T12:00:00Z'), bornAfter: d('1995-11-24T12:00:00Z'), bornAfterInclusive: false },
        afterUserId: '1000',
      }),
    ).toEqual({
      text: 'img_path IS NOT NULL AND birthdate <= $1 AND birthdate > $2 AND user_id > $3',
      values: ['1996-11-24T12:00:00.000Z', '1995-11-24T12:00:00.000Z', '1000'],
    });
  });

  it('has an inclusive lower bound for exact ages', () => {
    expect(userFilterSql({ hasImage: false, bounds: { bornAfter: d('2000-01-01T00:00:00Z'), bornAfterInclusive: true } }, 3)).toEqual({
      text: 'img_path IS NULL AND birthdate >= $3',
      values: ['2000-01-01T00:00:00.000Z'],
    });
  });
});

describe('userFilterLiteralSql', () => {
  it('inlines values as escaped literals', () => {
    expect(userFilterLiteralSql({ afterUserId: "o'brien" })).toBe("user_id > 'o''brien'");
  });
});
