import Papa from 'papaparse';
import type { UserRowView } from '@userpipe/shared/testing';

/**
 * output.csv's rows as the checks compare them. Its format is the API's CSV: a header
 * `user_id,first_name,last_name,birthts,img_path`, RFC 4180 quoting, an empty img_path for a
 * user without a picture. Throws when the header is not that one, so a changed format is a
 * failure with a reason, not a silent mismatch of every row.
 */
export function parseOutputCsv(text: string): UserRowView[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const expected = ['user_id', 'first_name', 'last_name', 'birthts', 'img_path'];
  if (!header || header.join(',') !== expected.join(',')) throw new Error(`output.csv header is ${JSON.stringify(header?.join(','))}, not ${expected.join(',')}`);
  return rows.map((r, i) => {
    if (r.length !== 5) throw new Error(`output.csv row ${i + 2} has ${r.length} fields: ${JSON.stringify(r)}`);
    const [user_id, first_name, last_name, birthts, img] = r as [string, string, string, string, string];
    return { user_id, first_name, last_name, birthts: Number(birthts), img_path: img === '' ? null : img };
  });
}
