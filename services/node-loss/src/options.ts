/**
 * What one invocation of the node-loss test does: how big a storm, how many times, whether to
 * kill nodes. Arguments win over the environment (`make test-cluster RUNS=3 USERS=500` passes
 * them as arguments), so a CI job can set defaults in the environment and a person override them.
 */
export interface Options {
  /** Users in each storm (at least 3,000 for the test; fewer while developing). */
  users: number;
  /** Storms run one after another against the same stack, each with its own user-id prefix. */
  runs: number;
  /** Concurrent client loops uploading, each owning a share of the users. */
  clients: number;
  /** Operations per second across all clients; 0 for as fast as they go. Paced so the storm outlasts the outage. */
  rate: number;
  /** Kill the ingest queue's leader and a MinIO node mid-storm; off against the single-node stack. */
  faults: boolean;
  /** Share of the storm's operations acknowledged before the kills. */
  killAt: number;
  /** How long the killed nodes stay down, in milliseconds. */
  downMs: number;
  /** How long to wait for convergence after the storm, in milliseconds. */
  deadlineMs: number;
  /** Seeds the storm's plan (names, pictures, which users change) and which MinIO node dies. */
  seed: number;
  /** MinIO nodes in the cluster (the one killed rotates over 1..minioNodes). */
  minioNodes: number;
}

export const DEFAULTS: Options = {
  users: 3000,
  runs: 1,
  clients: 8,
  rate: 150,
  faults: true,
  killAt: 1 / 3,
  downMs: 15_000,
  deadlineMs: 300_000,
  seed: 12,
  minioNodes: 4,
};

export const USAGE = `usage: node services/node-loss/dist/main.js [users] [--users n] [--runs n] [--clients n] [--rate ops/s]
       [--no-faults] [--kill-at fraction] [--down-ms ms] [--deadline-ms ms] [--seed n] [--minio-nodes n]
environment: NODE_LOSS_USERS, NODE_LOSS_RUNS, NODE_LOSS_CLIENTS, NODE_LOSS_RATE, NODE_LOSS_FAULTS (0/1),
             NODE_LOSS_KILL_AT, NODE_LOSS_DOWN_MS, NODE_LOSS_DEADLINE_MS, NODE_LOSS_SEED, NODE_LOSS_MINIO_NODES`;

type NumericOption = Exclude<keyof Options, 'faults'>;

const NUMERIC: Record<NumericOption, { flag: string; env: string; valid: (n: number) => boolean }> = {
  users: { flag: '--users', env: 'NODE_LOSS_USERS', valid: (n) => Number.isInteger(n) && n >= 1 && n <= 99_999 },
  runs: { flag: '--runs', env: 'NODE_LOSS_RUNS', valid: (n) => Number.isInteger(n) && n >= 1 },
  clients: { flag: '--clients', env: 'NODE_LOSS_CLIENTS', valid: (n) => Number.isInteger(n) && n >= 1 && n <= 256 },
  rate: { flag: '--rate', env: 'NODE_LOSS_RATE', valid: (n) => n >= 0 },
  killAt: { flag: '--kill-at', env: 'NODE_LOSS_KILL_AT', valid: (n) => n > 0 && n < 1 },
  downMs: { flag: '--down-ms', env: 'NODE_LOSS_DOWN_MS', valid: (n) => Number.isInteger(n) && n >= 0 },
  deadlineMs: { flag: '--deadline-ms', env: 'NODE_LOSS_DEADLINE_MS', valid: (n) => Number.isInteger(n) && n > 0 },
  seed: { flag: '--seed', env: 'NODE_LOSS_SEED', valid: (n) => Number.isInteger(n) && n >= 0 },
  minioNodes: { flag: '--minio-nodes', env: 'NODE_LOSS_MINIO_NODES', valid: (n) => Number.isInteger(n) && n >= 1 },
};

/** Options from the arguments and the environment; throws with the usage on anything malformed. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Options {
  const options: Options = { ...DEFAULTS };
  const set = (name: NumericOption, raw: string, from: string) => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || !NUMERIC[name].valid(n)) throw new Error(`${from}: ${JSON.stringify(raw)} is not a valid ${name}\n${USAGE}`);
    options[name] = n;
  };
  for (const [name, spec] of Object.entries(NUMERIC) as [NumericOption, (typeof NUMERIC)[NumericOption]][]) {
    const raw = env[spec.env];
    if (raw !== undefined && raw !== '') set(name, raw, spec.env);
  }
  const faults = env.NODE_LOSS_FAULTS;
  if (faults !== undefined && faults !== '') {
    if (!/^(0|1|true|false|on|off)$/.test(faults)) throw new Error(`NODE_LOSS_FAULTS: ${JSON.stringify(faults)} is not 0 or 1\n${USAGE}`);
    options.faults = /^(1|true|on)$/.test(faults);
  }

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-faults') options.faults = false;
    else if (arg === '--faults') options.faults = true;
    else if (arg === '--help' || arg === '-h') throw new Error(USAGE);
    else if (/^\d+$/.test(arg)) set('users', arg, 'users');
    else {
      const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
      const name = (Object.keys(NUMERIC) as NumericOption[]).find((k) => NUMERIC[k].flag === flag);
      if (!name) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      set(name, value, flag);
    }
  }
  return options;
}
