import Papa from 'papaparse';
import { solidPng } from '@userpipe/shared';

const FIRST = ['Zoë', 'José', 'Åsa', 'Łukasz', 'Chloé', 'Siobhán', 'Jürgen', 'Ngọc', 'Ana María', 'Renée', 'Mary-Kate', 'D\'Arcy', 'Søren', 'Ines', 'Ólafur', 'Kai', 'Noor', 'Émile'];
const LAST = ["O'Brien", 'Müller', 'García, Jr.', 'Nguyễn', "D'Angelo", 'Smith', 'Łukasiewicz', 'Ødegaard', 'van der Berg', 'Zaragoza-López', 'Brontë', 'Kowalczyk', "N'Diaye", 'Johnson, III', 'Ångström', 'Papadopoulos'];

export interface DemoFile {
  key: string;
  body: Buffer;
}

/** A deterministic pseudo-random sequence, so every demo shows the same people. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

/**
 * `count` users: names with accents, apostrophes and commas, birthdays spread over the last
 * century, about seven in ten with a picture; plus a handful of broken files of the kinds
 * people really upload.
 */
export function demoPopulation(count: number, now = Date.now()): { files: DemoFile[]; goodUsers: number; broken: string[] } {
  const next = random(42);
  const files: DemoFile[] = [];
  const century = 100 * 365.2425 * 86_400_000;
  for (let i = 0; i < count; i++) {
    const id = String(10001 + i);
    const first = FIRST[Math.floor(next() * FIRST.length)]!;
    const last = LAST[Math.floor(next() * LAST.length)]!;
    const birthts = Math.round(now - next() * century);
    files.push({ key: `${id}.csv`, body: Buffer.from(Papa.unparse([['first_name', 'last_name', 'birthts'], [first, last, String(birthts)]], { newline: '\n' }) + '\n') });
    const roll = next();
    if (roll < 0.7) files.push({ key: `${id}.${roll < 0.6 ? 'png' : 'jpg'}`, body: solidPng(1, 1, [i % 256, (i * 7) % 256, (i * 13) % 256]) });
  }
  const broken: DemoFile[] = [
    { key: '90001.csv', body: Buffer.from('first_name,last_name\nNo,Birthday\n') },
    { key: '90002.csv', body: Buffer.from('first_name,last_name,birthts\nBad,Date,last tuesday\n') },
    { key: '90003.csv', body: Buffer.from(`first_name,last_name,birthts\nFrom,Future,${now + 86_400_000 * 365}\n`) },
    { key: '90004.csv', body: Buffer.from('first_name,last_name,birthts\nZo\xeb,Latin1,0\n', 'latin1') },
    { key: '90005.csv', body: Buffer.from('first_name,last_name,birthts\nTwo,Rows,1\nIn,One,2\n') },
  ];
  return { files: [...files, ...broken], goodUsers: count, broken: broken.map((f) => f.key) };
}
