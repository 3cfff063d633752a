import { ingestTopology } from './ingestTopology';
import { ASKED_AGAIN_HEADER, askedAgainOf, attemptOf, nextAsk, nextStep, RECHECK_HEADER, recheckOf } from './retryPolicy';

const topology = ingestTopology({ exchange: 'x', routingKey: 'k', queue: 'ingest', retryDelaysMs: [1000, 5000, 30000] });

describe('nextStep', () => {
  it('backs off through the delays, repeating the last', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => nextStep(topology, attempt, 6, true))).toEqual([
      { action: 'retry', queue: 'ingest.delay.1000ms', delayMs: 1000 },
      { action: 'retry', queue: 'ingest.delay.5000ms', delayMs: 5000 },
      { action: 'retry', queue: 'ingest.delay.30000ms', delayMs: 30000 },
      { action: 'retry', queue: 'ingest.delay.30000ms', delayMs: 30000 },
      { action: 'retry', queue: 'ingest.delay.30000ms', delayMs: 30000 },
    ]);
  });

  it('dead-letters after the last allowed attempt', () => {
    expect(nextStep(topology, 5, 5, true)).toEqual({ action: 'dead-letter', queue: 'ingest.dead' });
  });

  it('dead-letters at once what no retry can fix', () => {
    expect(nextStep(topology, 1, 5, false)).toEqual({ action: 'dead-letter', queue: 'ingest.dead' });
  });
});

describe('attemptOf', () => {
  it('counts a message without the header as its first attempt', () => expect(attemptOf(undefined)).toBe(1));
  it('reads the header', () => expect(attemptOf({ 'x-attempt': 3 })).toBe(3));
  it('ignores a nonsense header', () => expect(attemptOf({ 'x-attempt': 'abc' })).toBe(1));
});

describe('ingestTopology', () => {
  it('names one delay queue per distinct delay, in order', () => {
    expect(ingestTopology({ exchange: 'x', routingKey: 'k', queue: 'q', retryDelaysMs: [500, 100, 500] }).retryQueues).toEqual([
      { delayMs: 100, name: 'q.delay.100ms' },
      { delayMs: 500, name: 'q.delay.500ms' },
    ]);
  });
});

describe('nextAsk: a message that succeeded but is asked again', () => {
  const [first, second, last] = topology.retryQueues.map((q) => q.name);
  const asks = (forMs: number) => Array.from({ length: 8 }, (_, asked) => nextAsk(topology, asked, forMs)?.queue ?? null);

  it('waits in each delay queue in turn, the last one repeating, while the waits add up to the time given', () => {
    // Delays of 1, 5 and 30 s: 1 + 5 + 30 + 30 = 66 s of waiting.
    expect(asks(66_000)).toEqual([first, second, last, last, null, null, null, null]);
  });

  it('is then done with (never dead-lettered), and a wait that would overrun the time is not begun', () => {
    expect(asks(65_999)).toEqual([first, second, last, null, null, null, null, null]);
    expect(asks(999)).toEqual([null, null, null, null, null, null, null, null]);
  });

  it('handles any count a header may hold, summing the waits rather than walking them', () => {
    expect(nextAsk(topology, 1_000_000_000, 66_000)).toBeNull();
    expect(nextAsk(topology, 1_000_000_000, Number.MAX_SAFE_INTEGER)?.queue).toBe(last);
  });

  it('asks nothing again without delay queues', () => {
    expect(nextAsk({ retryQueues: [], deadLetterQueue: 'q.dead' }, 0, 60_000)).toBeNull();
  });

  it('counts from a header it trusts only when it holds a whole number', () => {
    expect([undefined, {}, { [ASKED_AGAIN_HEADER]: 2 }, { [ASKED_AGAIN_HEADER]: 'x' }, { [ASKED_AGAIN_HEADER]: -1 }].map(askedAgainOf)).toEqual([0, 0, 2, 0, 0]);
  });

  it('rechecks a message only when its header says so, as a boolean', () => {
    expect([undefined, {}, { [RECHECK_HEADER]: true }, { [RECHECK_HEADER]: false }, { [RECHECK_HEADER]: 'true' }].map(recheckOf)).toEqual([false, false, true, false, false]);
  });
});
