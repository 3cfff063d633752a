import Papa from 'papaparse';
import { solidPng } from '@userpipe/shared';

/** What an operation does to a user, for the report's counts. */
export type OpWhat = 'create csv' | 'create png' | 'update csv' | 'add png' | 'replace png' | 'remove png' | 'delete csv' | 'recreate csv';

/** One call a client makes: a PUT of `body` at `key`, or a DELETE of `key`. */
export interface StormOp {
  /** Position in the storm: ops are started in this order (each client keeps it for its own). */
  seq: number;
  /** The client loop that makes the call: every op of one user goes to the same client, so calls on a key never overlap. */
  client: number;
  userId: string;
  key: string;
  what: OpWhat;
  kind: 'put' | 'remove';
  body?: Buffer;
}

export interface StormPlan {
  prefix: string;
  users: number;
  clients: number;
  ops: StormOp[];
}

const FIRST = ['Zoë', 'José', 'Åsa', 'Łukasz', 'Chloé', 'Siobhán', 'Jürgen', 'Ngọc', 'Ana María', 'Renée', "D'Arcy", 'Søren', 'Kai', 'Noor', 'Émile'];
const LAST = ["O'Brien", 'Müller', 'García, Jr.', 'Nguyễn', "D'Angelo", 'Smith', 'Ødegaard', 'van der Berg', 'Zaragoza-López', 'Brontë', 'Johnson, III', '"Ace" Ångström'];

/** A deterministic pseudo-random sequence (a 32-bit mulberry), so a seed replays the same storm. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A user id of the storm: the run's prefix and a zero-padded number, so ids sort as they were made. */
export function userIdOf(prefix: string, index: number): string {
  return `${prefix}${String(index + 1).padStart(5, '0')}`;
}

/** A valid user csv (quoted where the names need it, as output.csv quotes them). */
export function userCsv(first: string, last: string, birthts: number): Buffer {
  return Buffer.from(Papa.unparse([['first_name', 'last_name', 'birthts'], [first, last, String(birthts)]], { newline: '\n' }) + '\n');
}

/**
 * The storm: every user gets a valid csv, half of them a png; then about half are updated (new
 * names and birthts, a picture added, replaced or removed) and a quarter have files deleted (the
 * csv, the png or both; some csvs come back later). A user's later operations are spread over
 * the rest of the storm, so creates, updates and deletes are mixed throughout it, and so are
 * they during the outage. Pure: the same arguments give the same storm, byte for byte.
 */
export function stormPlan({ users, prefix, clients, seed, now }: { users: number; prefix: string; clients: number; seed: number; now: number }): StormPlan {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const century = 100 * 365.2425 * 86_400_000;
  let colour = 1;
  const png = () => {
    const c = colour++;
    return solidPng(1, 1, [(c >> 16) & 255, (c >> 8) & 255, c & 255]);
  };
  const csv = () => userCsv(pick(FIRST), pick(LAST), Math.round(now - 86_400_000 - next() * century));

  const timed: { slot: number; user: number; step: number; op: Omit<StormOp, 'seq' | 'client'> }[] = [];
  for (let u = 0; u < users; u++) {
    const userId = userIdOf(prefix, u);
    const csvKey = `${userId}.csv`;
    const pngKey = `${userId}.png`;
    let slot = u + next();
    let step = 0;
    const add = (what: OpWhat, key: string, body?: Buffer) => {
      timed.push({ slot, user: u, step: step++, op: { userId, key, what, kind: body ? 'put' : 'remove', ...(body ? { body } : {}) } });
      // The user's next operation comes later in the storm: 5 % to 35 % of it further on.
      slot += users * (0.05 + 0.3 * next());
    };
    let hasPng = next() < 0.5;
    let hasCsv = true;
    add('create csv', csvKey, csv());
    if (hasPng) add('create png', pngKey, png());

    if (next() < 0.5) {
      const updates = next() < 0.3 ? 2 : 1;
      for (let i = 0; i < updates; i++) {
        if (next() < 0.5) add('update csv', csvKey, csv());
        else if (!hasPng) {
          add('add png', pngKey, png());
          hasPng = true;
          // eslint-disable-next-line no-dupe-else-if -- next() draws a new number each call
        } else if (next() < 0.5) add('replace png', pngKey, png());
        else {
          add('remove png', pngKey);
          hasPng = false;
        }
      }
    }

    if (next() < 0.25) {
      const roll = next();
      if (roll < 0.4 || !hasPng) {
        add('delete csv', csvKey);
        hasCsv = false;
      } else if (roll < 0.7) {
        add('remove png', pngKey);
        hasPng = false;
      } else {
        add('delete csv', csvKey);
        add('remove png', pngKey);
        hasCsv = false;
        hasPng = false;
      }
      if (!hasCsv && next() < 0.3) add('recreate csv', csvKey, csv());
    }
  }
  // Stable order: by time slot, then user and step (a user's steps have increasing slots anyway).
  timed.sort((a, b) => a.slot - b.slot || a.user - b.user || a.step - b.step);
  const ops = timed.map(({ user, op }, seq) => ({ seq, client: user % clients, ...op }));
  return { prefix, users, clients, ops };
}

/** How many operations of each kind a plan holds, for the report. */
export function countByWhat(ops: readonly Pick<StormOp, 'what'>[]): Partial<Record<OpWhat, number>> {
  const counts: Partial<Record<OpWhat, number>> = {};
  for (const op of ops) counts[op.what] = (counts[op.what] ?? 0) + 1;
  return counts;
}
