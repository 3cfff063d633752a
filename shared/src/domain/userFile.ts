import Papa from 'papaparse';

/** The fields a user file provides, as validated. */
export interface UserRecord {
  firstName: string;
  lastName: string;
  /** Birth time in milliseconds since the Unix epoch, UTC. */
  birthts: number;
}

export type UserFileResult = { ok: true; user: UserRecord } | { ok: false; reason: string };

export const REQUIRED_COLUMNS = ['first_name', 'last_name', 'birthts'] as const;
const MAX_NAME_LENGTH = 200;
/** Nobody alive was born before this; an earlier birthts is a unit or typing mistake. */
export const EARLIEST_BIRTHTS = Date.UTC(1800, 0, 1);

const utf8 = new TextDecoder('utf-8', { fatal: true });

function reject(reason: string): UserFileResult {
  return { ok: false, reason };
}

/**
 * Separators people use instead of commas, and how a reason names them. A user file is
 * comma-separated, as output.csv is; these are recognised only to say so (see parseUserFile).
 */
const OTHER_SEPARATORS: [separator: string, name: string][] = [
  [';', 'semicolons'],
  ['\t', 'tabs'],
  ['|', 'vertical bars'],
];

/**
 * Reads one user file: UTF-8 (a BOM is allowed), LF or CRLF, comma-separated, a header naming
 * at least first_name, last_name and birthts (trimmed, any letter case, extra columns ignored)
 * and exactly one data row. Every way a file can be unusable becomes a reason a person can act on.
 *
 * The separator is the comma, never guessed: a guess (papaparse's, left to itself, tries
 * commas, tabs, bars, semicolons and more) reads a file differently from every other tool that
 * takes it as the CSV it is named, and makes what we accept something no rule can describe. A
 * file separated otherwise is rejected with a reason that says how to fix it.
 */
export function parseUserFile(body: Uint8Array, opts: { maxBytes: number; now: Date }): UserFileResult {
  if (body.byteLength > opts.maxBytes) {
    return reject(`file is ${body.byteLength} bytes; the limit is ${opts.maxBytes}`);
  }
  let text: string;
  try {
    text = utf8.decode(body); // also drops a leading BOM
  } catch {
    return reject('file is not valid UTF-8 text');
  }
  if (text.includes('\u0000')) return reject('file is binary, not CSV text');

  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy', delimiter: ',' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) return reject(`malformed CSV on line ${(fatal.row ?? 0) + 1}: ${fatal.message}`);

  const [header, ...rows] = parsed.data;
  if (!header) return reject('file is empty');
  const columns = header.map((name) => name.trim().toLowerCase());
  if (columns.length === 1) {
    const other = OTHER_SEPARATORS.find(([separator]) => columns[0]!.includes(separator));
    if (other) return reject(`fields are separated by ${other[1]}; a user file is comma-separated (header first_name,last_name,birthts)`);
  }
  const index: Record<string, number> = {};
  for (const required of REQUIRED_COLUMNS) {
    const positions = columns.flatMap((c, i) => (c === required ? [i] : []));
    if (positions.length > 1) return reject(`column ${required} appears ${positions.length} times in the header`);
    if (positions.length === 0) {
      return reject(`header lacks column ${required} (expected first_name, last_name, birthts; found ${columns.join(', ') || 'nothing'})`);
    }
    index[required] = positions[0]!;
  }

  if (rows.length === 0) return reject('file has a header but no data row');
  if (rows.length > 1) return reject(`file has ${rows.length} data rows; a user file holds exactly one`);
  const row = rows[0]!;
  if (row.length !== columns.length) {
    return reject(`data row has ${row.length} fields but the header has ${columns.length}`);
  }

  const field = (name: (typeof REQUIRED_COLUMNS)[number]) => (row[index[name]!] ?? '').trim();
  const firstName = field('first_name');
  const lastName = field('last_name');
  for (const [name, value] of [['first_name', firstName], ['last_name', lastName]] as const) {
    if (value === '') return reject(`${name} is empty`);
    if (value.length > MAX_NAME_LENGTH) return reject(`${name} is longer than ${MAX_NAME_LENGTH} characters`);
  }

  const rawBirthts = field('birthts');
  if (!/^-?\d+$/.test(rawBirthts)) {
    return reject(`birthts "${rawBirthts}" is not a whole number of milliseconds since 1970-01-01 UTC`);
  }
  const birthts = Number(rawBirthts);
  if (birthts < EARLIEST_BIRTHTS) {
    return reject(`birthts ${rawBirthts} is before 1800-01-01, which is no real birth date`);
  }
  if (birthts > opts.now.getTime()) {
    const when = Number.isSafeInteger(birthts) && birthts <= 8.64e15 ? ` (${new Date(birthts).toISOString()})` : '';
    return reject(`birthts ${rawBirthts}${when} is in the future`);
  }
  return { ok: true, user: { firstName, lastName, birthts } };
}
