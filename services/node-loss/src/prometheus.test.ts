import { sumCounter } from './prometheus';

describe('sumCounter', () => {
  const text = [
    '# HELP userpipe_events_total Bucket event records handled, by outcome',
    '# TYPE userpipe_events_total counter',
    'userpipe_events_total{outcome="inserted"} 120',
    'userpipe_events_total{outcome="skipped"} 80.5',
    'userpipe_events_total{outcome="odd } \\" label"} 1',
    'userpipe_events_total_created{outcome="inserted"} 1764100000',
    'userpipe_events_totalish 99',
    'process_cpu_seconds_total 3',
  ].join('\n');

  it('sums every label set of the counter, and nothing else', () => {
    expect(sumCounter(text, 'userpipe_events_total')).toBe(201.5);
  });

  it('reads a counter without labels', () => {
    expect(sumCounter(text, 'process_cpu_seconds_total')).toBe(3);
  });

  it('is null when the counter is not there (no event handled since the worker started has no sample either)', () => {
    expect(sumCounter(text, 'userpipe_exports_total')).toBeNull();
  });
});
