import type { Pod } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import {
  countHealthyPods,
  DELETION_TIMEOUT_MS,
  desiredHealth,
  disruptionsAllowed,
  pruneDisruptedPods,
} from './budgetMath';

const scale = (n: number) => () => n;
const noScale = () => {
  throw new Error('scale must not be read for an integer minAvailable');
};

function pod(name: string, ready: boolean, deleting = false): Pod {
  return {
    metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  } as unknown as Pod;
}

describe('desiredHealth', () => {
  it('integer minAvailable: the selected pods are expected, scale unread', () => {
    expect(desiredHealth({ minAvailable: 2 }, 3, noScale)).toEqual({ expectedPods: 3, desiredHealthy: 2 });
  });
  it('percent minAvailable rounds up of the scale', () => {
    expect(desiredHealth({ minAvailable: '50%' }, 1, scale(5))).toEqual({ expectedPods: 5, desiredHealthy: 3 });
  });
  it('maxUnavailable: expected minus the bound rounded up, never negative', () => {
    expect(desiredHealth({ maxUnavailable: '30%' }, 0, scale(5))).toEqual({ expectedPods: 5, desiredHealthy: 3 });
    expect(desiredHealth({ maxUnavailable: 1 }, 0, scale(4))).toEqual({ expectedPods: 4, desiredHealthy: 3 });
    expect(desiredHealth({ maxUnavailable: 9 }, 0, scale(4))).toEqual({ expectedPods: 4, desiredHealthy: 0 });
  });
  it('no bound allows nothing', () => {
    expect(desiredHealth({}, 4, noScale)).toEqual({ expectedPods: 0, desiredHealthy: 0 });
  });
});

describe('disruptionsAllowed and the healthy count', () => {
  it('is max(0, healthy - desired), and 0 while no pod is expected', () => {
    expect(disruptionsAllowed(3, 2, 3)).toBe(1);
    expect(disruptionsAllowed(1, 2, 3)).toBe(0);
    expect(disruptionsAllowed(3, 0, 0)).toBe(0);
  });
  it('counts Ready pods that are neither terminating nor just evicted', () => {
    const now = Date.UTC(2026, 0, 1, 0, 1);
    const pods = [pod('a', true), pod('b', true, true), pod('c', false), pod('d', true)];
    expect(countHealthyPods(pods, { d: '2026-01-01T00:00:30Z' }, now)).toBe(1);
    expect(countHealthyPods(pods, { d: '2026-01-01T00:00:30Z' }, now + DELETION_TIMEOUT_MS)).toBe(2);
  });
  it('prunes entries of pods gone, terminating, or past the 2 minute timeout', () => {
    const now = Date.UTC(2026, 0, 1, 0, 2);
    const pods = [pod('a', true), pod('b', true, true), pod('c', true)];
    const pruned = pruneDisruptedPods(
      pods,
      { a: '2026-01-01T00:01:00Z', b: '2026-01-01T00:01:00Z', c: '2026-01-01T00:00:00Z', gone: '2026-01-01T00:01:00Z' },
      now,
    );
    expect(pruned.kept).toEqual({ a: '2026-01-01T00:01:00Z' });
    expect(pruned.expired).toEqual(['c']);
    expect(pruned.recheckAt).toBe(Date.UTC(2026, 0, 1, 0, 3));
  });
});
