import { describe, expect, it } from 'vitest';
import { type Condition, getCondition, isFalse, isTrue, removeCondition, setCondition } from './index';

const BEFORE = '2024-01-01T00:00:00Z';
const SUPPLIED = '2024-01-01T01:00:00Z';
const NOW = '2024-01-01T02:00:00Z';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const frozen = (...conditions: Condition[]): readonly Condition[] => deepFreeze(conditions);

describe('setCondition', () => {
  it('appends a new condition, stamping now when no transition time is given', () => {
    const before = frozen({ type: 'First', status: 'True' }, { type: 'Third', status: 'True' });
    const after = setCondition(before, { type: 'Second', status: 'False', reason: 'Why', message: 'because' }, NOW);
    expect(after).toEqual([
      { type: 'First', status: 'True' },
      { type: 'Third', status: 'True' },
      { type: 'Second', status: 'False', reason: 'Why', message: 'because', lastTransitionTime: NOW },
    ]);
    expect(after).not.toBe(before);
    expect(before).toHaveLength(2);
  });

  it('keeps a supplied transition time on a new condition', () => {
    const after = setCondition(undefined, { type: 'Ready', status: 'True', lastTransitionTime: SUPPLIED }, NOW);
    expect(after).toEqual([{ type: 'Ready', status: 'True', lastTransitionTime: SUPPLIED }]);
  });

  it('treats an empty transition time as unset', () => {
    const after = setCondition([], { type: 'Ready', status: 'True', lastTransitionTime: '' }, NOW);
    expect(after[0]?.lastTransitionTime).toBe(NOW);
  });

  it('moves the transition time to now when the status flips', () => {
    const before = frozen({ type: 'Ready', status: 'False', lastTransitionTime: BEFORE, reason: 'Starting' });
    const after = setCondition(before, { type: 'Ready', status: 'True', reason: 'Started' }, NOW);
    expect(after).toEqual([{ type: 'Ready', status: 'True', reason: 'Started', lastTransitionTime: NOW }]);
    expect(before[0]).toEqual({ type: 'Ready', status: 'False', lastTransitionTime: BEFORE, reason: 'Starting' });
  });

  it('uses the supplied transition time when the status flips', () => {
    const before = frozen(
      { type: 'First', status: 'True' },
      { type: 'Second', status: 'False' },
      { type: 'Third', status: 'True' },
    );
    const after = setCondition(
      before,
      { type: 'Second', status: 'True', lastTransitionTime: SUPPLIED, reason: 'reason', message: 'message' },
      NOW,
    );
    expect(after.map((c) => c.type)).toEqual(['First', 'Second', 'Third']);
    expect(after[1]).toEqual({
      type: 'Second',
      status: 'True',
      lastTransitionTime: SUPPLIED,
      reason: 'reason',
      message: 'message',
    });
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
  });

  it('keeps the old transition time, even over a supplied one, when the status is unchanged', () => {
    const before = frozen({ type: 'Ready', status: 'True', lastTransitionTime: BEFORE, reason: 'Old', message: 'old' });
    const after = setCondition(
      before,
      {
        type: 'Ready',
        status: 'True',
        lastTransitionTime: SUPPLIED,
        reason: 'New',
        message: 'new',
        observedGeneration: 3,
      },
      NOW,
    );
    expect(after).toEqual([
      {
        type: 'Ready',
        status: 'True',
        lastTransitionTime: BEFORE,
        reason: 'New',
        message: 'new',
        observedGeneration: 3,
      },
    ]);
  });

  it('does not invent a transition time when the status is unchanged and none was recorded', () => {
    const after = setCondition(frozen({ type: 'Ready', status: 'Unknown' }), { type: 'Ready', status: 'Unknown' }, NOW);
    expect(after).toEqual([{ type: 'Ready', status: 'Unknown' }]);
  });

  it('takes every other field from the new condition, dropping ones it leaves out', () => {
    const before = frozen({
      type: 'Available',
      status: 'True',
      lastTransitionTime: BEFORE,
      lastUpdateTime: BEFORE,
      reason: 'MinimumReplicasAvailable',
      message: 'ok',
      observedGeneration: 2,
    });
    const after = setCondition(before, { type: 'Available', status: 'True', lastUpdateTime: NOW }, NOW);
    expect(after).toEqual([{ type: 'Available', status: 'True', lastTransitionTime: BEFORE, lastUpdateTime: NOW }]);
  });

  it('returns the same condition object, in a new array, when nothing changes', () => {
    const before = frozen({ type: 'Ready', status: 'True', lastTransitionTime: BEFORE, reason: 'Up' });
    const after = setCondition(before, { type: 'Ready', status: 'True', reason: 'Up' }, NOW);
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
  });

  it('updates only the first of duplicated types, like FindStatusCondition', () => {
    const before = frozen({ type: 'Ready', status: 'False' }, { type: 'Ready', status: 'False' });
    const after = setCondition(before, { type: 'Ready', status: 'True' }, NOW);
    expect(after.map((c) => c.status)).toEqual(['True', 'False']);
  });

  it('works with narrower condition types and keeps their fields', () => {
    interface PodCondition extends Condition {
      type: 'Ready' | 'PodScheduled';
    }
    const before: readonly PodCondition[] = deepFreeze([{ type: 'PodScheduled', status: 'True' }]);
    const after: PodCondition[] = setCondition(before, { type: 'Ready', status: 'False', lastProbeTime: NOW }, NOW);
    expect(after[1]).toEqual({ type: 'Ready', status: 'False', lastProbeTime: NOW, lastTransitionTime: NOW });
  });

  it('can be folded over a sequence of observations', () => {
    const observations: Array<[Condition, string]> = [
      [{ type: 'Ready', status: 'Unknown' }, '2024-01-01T00:00:00Z'],
      [{ type: 'Ready', status: 'False', reason: 'Pulling' }, '2024-01-01T00:00:01Z'],
      [{ type: 'Ready', status: 'False', reason: 'Starting' }, '2024-01-01T00:00:02Z'],
      [{ type: 'Ready', status: 'True' }, '2024-01-01T00:00:03Z'],
      [{ type: 'Ready', status: 'True', message: 'still up' }, '2024-01-01T00:00:04Z'],
    ];
    let conditions: readonly Condition[] = [];
    const times: Array<string | undefined> = [];
    for (const [next, now] of observations) {
      conditions = deepFreeze(setCondition(conditions, deepFreeze(next), now));
      times.push(getCondition(conditions, 'Ready')?.lastTransitionTime);
    }
    expect(times).toEqual([
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:01Z',
      '2024-01-01T00:00:01Z',
      '2024-01-01T00:00:03Z',
      '2024-01-01T00:00:03Z',
    ]);
  });
});

describe('lookups', () => {
  const conditions = frozen(
    { type: 'Ready', status: 'True' },
    { type: 'Progressing', status: 'False' },
    { type: 'Degraded', status: 'Unknown' },
  );

  it('finds a condition by type', () => {
    expect(getCondition(conditions, 'Progressing')).toBe(conditions[1]);
    expect(getCondition(conditions, 'Missing')).toBeUndefined();
    expect(getCondition(undefined, 'Ready')).toBeUndefined();
  });

  it('tells True and False apart from Unknown and absent', () => {
    expect([isTrue(conditions, 'Ready'), isFalse(conditions, 'Ready')]).toEqual([true, false]);
    expect([isTrue(conditions, 'Progressing'), isFalse(conditions, 'Progressing')]).toEqual([false, true]);
    expect([isTrue(conditions, 'Degraded'), isFalse(conditions, 'Degraded')]).toEqual([false, false]);
    expect([isTrue(conditions, 'Missing'), isFalse(conditions, 'Missing')]).toEqual([false, false]);
    expect([isTrue(undefined, 'Ready'), isFalse(undefined, 'Ready')]).toEqual([false, false]);
  });
});

describe('removeCondition', () => {
  it('returns a new array without that type', () => {
    const before = frozen(
      { type: 'First', status: 'True' },
      { type: 'Second', status: 'True' },
      { type: 'Third', status: 'True' },
    );
    const after = removeCondition(before, 'Second');
    expect(after.map((c) => c.type)).toEqual(['First', 'Third']);
    expect(before).toHaveLength(3);
  });

  it('removes every duplicate, keeps a copy when absent, and accepts undefined', () => {
    const before = frozen({ type: 'A', status: 'True' }, { type: 'B', status: 'True' }, { type: 'A', status: 'False' });
    expect(removeCondition(before, 'A')).toEqual([{ type: 'B', status: 'True' }]);
    const untouched = removeCondition(before, 'Z');
    expect(untouched).toEqual(before);
    expect(untouched).not.toBe(before);
    expect(removeCondition(undefined, 'A')).toEqual([]);
  });
});
