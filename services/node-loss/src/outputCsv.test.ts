import { parseOutputCsv } from './outputCsv';

describe('parseOutputCsv', () => {
  it('reads quoted names, birthts as numbers and an empty picture as none', () => {
    const text = 'user_id,first_name,last_name,birthts,img_path\n1,Zoë,"García, Jr.",-5,src/1.png\n2,"""Ace""",O\'Brien,1618838578826,\n';
    expect(parseOutputCsv(text)).toEqual([
      { user_id: '1', first_name: 'Zoë', last_name: 'García, Jr.', birthts: -5, img_path: 'src/1.png' },
      { user_id: '2', first_name: '"Ace"', last_name: "O'Brien", birthts: 1618838578826, img_path: null },
    ]);
  });

  it('reads a file with no users', () => {
    expect(parseOutputCsv('user_id,first_name,last_name,birthts,img_path\n')).toEqual([]);
  });

  it('refuses another header or a short row', () => {
    expect(() => parseOutputCsv('id,first_name\n')).toThrow(/header/);
    expect(() => parseOutputCsv('user_id,first_name,last_name,birthts,img_path\n1,a,b\n')).toThrow(/row 2 has 3 fields/);
  });
});
