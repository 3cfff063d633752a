import { parseUserFile, parseUserKey } from '@userpipe/shared';
import { demoPopulation } from './population';

describe('demoPopulation', () => {
  const now = Date.parse('2026-11-24T00:00:00Z');
  const { files, goodUsers, broken } = demoPopulation(300, now);

  it('holds the good users, each a valid user file, and the broken ones as rejections', () => {
    const verdicts = files.filter((f) => f.key.endsWith('.csv')).map((f) => ({ key: f.key, ok: parseUserFile(f.body, { maxBytes: 65536, now: new Date(now) }).ok }));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(goodUsers);
    expect(verdicts.filter((v) => !v.ok).map((v) => v.key)).toEqual(broken);
  });

  it('has names with accents, apostrophes and commas, and users with and without pictures', () => {
    const text = files.filter((f) => f.key.endsWith('.csv')).map((f) => f.body.toString('utf8')).join('');
    expect(text).toMatch(/[éëøåłễ]/i);
    expect(text).toMatch(/'/);
    expect(text).toMatch(/"[^"\n]*,[^"\n]*"/);
    const pictures = files.filter((f) => parseUserKey(f.key)?.kind === 'image').length;
    expect(pictures).toBeGreaterThan(150);
    expect(pictures).toBeLessThan(270);
  });

  it('is the same every time', () => {
    expect(demoPopulation(300, now).files.map((f) => f.body.toString('base64'))).toEqual(files.map((f) => f.body.toString('base64')));
  });
});
