import Papa from 'papaparse';
import type { UserRowView } from './testStack';

/** A user file as a person would write it. */
export function userCsv(firstName: string, lastName: string, birthts: number): string {
  return Papa.unparse([['first_name', 'last_name', 'birthts'], [firstName, lastName, String(birthts)]], { newline: '\n' }) + '\n';
}

/**
 * output.csv as it must read for these users, built independently of the exporter (which
 * uses Postgres' COPY): byte-order by user_id, RFC 4180 quoting, empty img_path when none.
 */
export function expectedOutputCsv(users: UserRowView[]): string {
  const sorted = [...users].sort((a, b) => Buffer.compare(Buffer.from(a.user_id), Buffer.from(b.user_id)));
  const lines = [
    'user_id,first_name,last_name,birthts,img_path',
    ...sorted.map((u) => Papa.unparse([[u.user_id, u.first_name, u.last_name, String(u.birthts), u.img_path ?? '']], { newline: '\n' })),
  ];
  return lines.join('\n') + '\n';
}
