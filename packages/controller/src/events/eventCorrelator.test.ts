import { describe, expect, it } from 'vitest';
import { type Correlation, EventCorrelator, type EventDraft } from './eventCorrelator';

const T0 = Date.UTC(2026, 0, 1);

function draft(overrides: Partial<EventDraft> = {}): EventDraft {
  return {
    namespace: 'default',
    involvedObject: { kind: 'Pod', apiVersion: 'v1', name: 'web', namespace: 'default', uid: 'u1' },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    source: { component: 'kubelet', host: 'node-1' },
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
    ...overrides,
  };
}

function written(correlation: Correlation) {
  if (correlation.action === 'skip') throw new Error('expected an event to write, got skip');
  return correlation;
}

describe('EventCorrelator', () => {
  it('creates a new event with count 1 and second-precision timestamps', () => {
    const result = written(new EventCorrelator().correlate(draft(), T0 + 1_500));
    expect(result.action).toBe('create');
    expect(result.event).toMatchObject({
      count: 1,
      firstTimestamp: '2026-01-01T00:00:01Z',
      lastTimestamp: '2026-01-01T00:00:01Z',
      message: 'Back-off restarting failed container',
    });
    expect(result.event.name).toMatch(/^web\.[0-9a-f]{16}$/);
  });

  it('counts identical events on the first one: same name, count + 1, new lastTimestamp', () => {
    const correlator = new EventCorrelator();
    const first = written(correlator.correlate(draft(), T0));
    const second = written(correlator.correlate(draft(), T0 + 30_000));
    expect(second.action).toBe('patch');
    expect(second.key).toBe(first.key);
    expect(second.event).toMatchObject({
      name: first.event.name,
      count: 2,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:30Z',
    });
  });

  it('keeps counting identical events past the aggregation threshold', () => {
    const correlator = new EventCorrelator();
    for (let i = 0; i < 10; i++) correlator.correlate(draft(), T0 + i * 30_000);
    expect(written(correlator.correlate(draft(), T0 + 300_000)).event.count).toBe(11);
  });

  it('combines similar events from the 10th distinct message, and counts the combined event', () => {
    const correlator = new EventCorrelator();
    for (let i = 1; i <= 9; i++) {
      const result = written(correlator.correlate(draft({ message: `m${i}` }), T0 + i * 1_000));
      expect(result).toMatchObject({ action: 'create', event: { message: `m${i}`, count: 1 } });
    }
    const tenth = written(correlator.correlate(draft({ message: 'm10' }), T0 + 10_000));
    expect(tenth).toMatchObject({
      action: 'create',
      event: { message: '(combined from similar events): m10', count: 1 },
    });
    const eleventh = written(correlator.correlate(draft({ message: 'm11' }), T0 + 11_000));
    expect(eleventh).toMatchObject({
      action: 'patch',
      event: { name: tenth.event.name, message: '(combined from similar events): m11', count: 2 },
    });
  });

  it('starts aggregation over after more than 600 s without a similar event', () => {
    const correlator = new EventCorrelator();
    for (let i = 1; i <= 10; i++) correlator.correlate(draft({ message: `m${i}` }), T0);
    // Exactly 600 s later is still the same window (upstream compares with ">").
    const same = written(correlator.correlate(draft({ message: 'm11' }), T0 + 600_000));
    expect(same.event.message).toBe('(combined from similar events): m11');
    const fresh = written(correlator.correlate(draft({ message: 'm12' }), T0 + 1_200_001));
    expect(fresh).toMatchObject({ action: 'create', event: { message: 'm12', count: 1 } });
  });

  it('does not aggregate events that differ in reason, type or object', () => {
    const correlator = new EventCorrelator();
    for (let i = 0; i < 12; i++) {
      const other = draft({ message: `m${i}`, reason: `Reason${i}` });
      expect(written(correlator.correlate(other, T0)).event.message).toBe(`m${i}`);
    }
  });

  it('drops the 26th event about one object and lets one more through each 5 minutes', () => {
    const correlator = new EventCorrelator();
    const about = (i: number) => draft({ reason: `Reason${i}` }); // distinct reasons: no dedup, no aggregation
    for (let i = 0; i < 25; i++) expect(correlator.correlate(about(i), T0).action).toBe('create');
    expect(correlator.correlate(about(25), T0 + 1_000).action).toBe('skip');
    expect(correlator.correlate(about(26), T0 + 299_999).action).toBe('skip');
    expect(correlator.correlate(about(27), T0 + 300_000).action).toBe('create');
    expect(correlator.correlate(about(28), T0 + 300_000).action).toBe('skip');
    // Another object has its own budget.
    const other = draft({ involvedObject: { kind: 'Pod', apiVersion: 'v1', name: 'db', namespace: 'default' } });
    expect(correlator.correlate(other, T0 + 300_000).action).toBe('create');
  });

  it('counts dropped repeats in the next written count, as client-go does', () => {
    const correlator = new EventCorrelator({ burst: 2 });
    expect(correlator.correlate(draft(), T0).action).toBe('create');
    expect(correlator.correlate(draft(), T0).action).toBe('patch');
    expect(correlator.correlate(draft(), T0).action).toBe('skip');
    expect(written(correlator.correlate(draft(), T0 + 300_000)).event.count).toBe(4);
  });

  it('adopts the stored name and count after a write (UpdateState)', () => {
    const correlator = new EventCorrelator();
    const first = written(correlator.correlate(draft(), T0));
    correlator.observe(first.key, { name: 'web.stored', count: 7, firstTimestamp: '2026-01-01T00:00:00Z' });
    expect(written(correlator.correlate(draft(), T0 + 1_000)).event).toMatchObject({ name: 'web.stored', count: 8 });
  });

  it('forgets the least recently used series beyond cacheSize', () => {
    const correlator = new EventCorrelator({ cacheSize: 2 });
    const pod = (name: string) => draft({ involvedObject: { kind: 'Pod', apiVersion: 'v1', name } });
    correlator.correlate(pod('a'), T0);
    correlator.correlate(pod('b'), T0);
    correlator.correlate(pod('c'), T0);
    expect(written(correlator.correlate(pod('a'), T0)).action).toBe('create');
    expect(written(correlator.correlate(pod('c'), T0)).action).toBe('patch');
  });

  it('refuses nonsensical tuning', () => {
    expect(() => new EventCorrelator({ burst: 0 })).toThrow(/burst must be a finite number > 0/);
    expect(() => new EventCorrelator({ refillMs: Number.NaN })).toThrow(RangeError);
  });
});
