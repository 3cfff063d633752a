import { DEFAULTS, parseOptions } from './options';

describe('parseOptions', () => {
  it('defaults to the issue\'s test: 3,000 users, one run, faults on', () => {
    expect(parseOptions([], {})).toEqual(DEFAULTS);
    expect(DEFAULTS).toMatchObject({ users: 3000, runs: 1, faults: true });
  });

  it('takes the environment, and arguments over it', () => {
    const env = { NODE_LOSS_USERS: '800', NODE_LOSS_RUNS: '2', NODE_LOSS_FAULTS: '0', NODE_LOSS_RATE: '0' };
    expect(parseOptions([], env)).toMatchObject({ users: 800, runs: 2, faults: false, rate: 0 });
    expect(parseOptions(['500', '--runs', '3', '--faults', '--down-ms=12000'], env)).toMatchObject({ users: 500, runs: 3, faults: true, downMs: 12000 });
    expect(parseOptions(['--no-faults', '--users', '40'], {})).toMatchObject({ users: 40, faults: false });
  });

  it('refuses what it cannot use, with the usage', () => {
    expect(() => parseOptions(['--runs', '0'], {})).toThrow(/--runs: "0" is not a valid runs[\s\S]*usage:/);
    expect(() => parseOptions(['--kill-at', '1.5'], {})).toThrow(/killAt/);
    expect(() => parseOptions(['--users'], {})).toThrow(/needs a value/);
    expect(() => parseOptions(['--what'], {})).toThrow(/unknown argument/);
    expect(() => parseOptions([], { NODE_LOSS_USERS: 'many' })).toThrow(/NODE_LOSS_USERS/);
    expect(() => parseOptions([], { NODE_LOSS_FAULTS: 'maybe' })).toThrow(/NODE_LOSS_FAULTS/);
  });
});
