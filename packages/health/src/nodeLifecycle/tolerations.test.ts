import { describe, expect, it } from 'vitest';
import { evictionTime, matchingToleration, type TaintLike, tolerates, toleratesTaint } from './tolerations';

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const T0 = Date.UTC(2026, 0, 1);
const unreachable: TaintLike = { key: UNREACHABLE, effect: 'NoExecute', timeAdded: '2026-01-01T00:01:25Z' };
const ADDED = Date.parse('2026-01-01T00:01:25Z');
const now = ADDED + 10_000;

describe('toleratesTaint', () => {
  it.each([
    [{ operator: 'Exists' }, true, 'empty key and effect with Exists: everything'],
    [{ key: UNREACHABLE, operator: 'Exists' }, true, 'any effect'],
    [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }, true, 'same key and effect'],
    [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoSchedule' }, false, 'another effect'],
    [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, false, 'another key'],
    [{ key: UNREACHABLE, operator: 'Equal', effect: 'NoExecute' }, true, 'Equal with both values empty'],
    [{ key: UNREACHABLE, effect: 'NoExecute' }, true, 'operator defaults to Equal'],
    [{ key: UNREACHABLE, operator: 'Equal', value: 'x', effect: 'NoExecute' }, false, 'Equal with another value'],
    [{ key: UNREACHABLE, operator: 'Gt' }, false, 'an operator it does not know'],
  ])('%j → %s (%s)', (toleration, expected, _why) => {
    expect(toleratesTaint(toleration, unreachable)).toBe(expected);
  });

  it('compares values for Equal', () => {
    const taint: TaintLike = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint)).toBe(true);
  });
});

describe('matchingToleration and tolerates', () => {
  it('picks the first matching toleration, as Kubernetes does', () => {
    const short = { key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 10 };
    const long = { operator: 'Exists', tolerationSeconds: 1000 };
    expect(matchingToleration(unreachable, [{ key: 'other', operator: 'Exists' }, short, long])).toBe(short);
    expect(matchingToleration(unreachable, [{ key: 'other', operator: 'Exists' }])).toBeUndefined();
    expect(tolerates(unreachable, [long])).toBe(true);
    expect(tolerates(unreachable, [])).toBe(false);
  });
});

describe('evictionTime', () => {
  it('evicts at once when nothing tolerates a NoExecute taint', () => {
    expect(evictionTime([unreachable], [], now)).toBe(now);
    expect(evictionTime([unreachable], [{ key: UNREACHABLE, operator: 'Equal', value: 'never' }], now)).toBe(now);
  });

  it('evicts tolerationSeconds after the taint was added', () => {
    const tolerations = [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }];
    expect(evictionTime([unreachable], tolerations, now)).toBe(ADDED + 300_000);
  });

  it('never evicts a pod tolerating forever', () => {
    expect(evictionTime([unreachable], [{ key: UNREACHABLE, operator: 'Exists' }], now)).toBeUndefined();
  });

  it('evicts at the taint time for zero or negative seconds (at once, once that is past)', () => {
    expect(evictionTime([unreachable], [{ operator: 'Exists', tolerationSeconds: 0 }], now)).toBe(ADDED);
    expect(evictionTime([unreachable], [{ operator: 'Exists', tolerationSeconds: -5 }], now)).toBe(ADDED);
  });

  it('counts from now for a taint without timeAdded', () => {
    const taint: TaintLike = { key: UNREACHABLE, effect: 'NoExecute' };
    expect(evictionTime([taint], [{ operator: 'Exists', tolerationSeconds: 60 }], T0)).toBe(T0 + 60_000);
  });

  it('ignores taints that are not NoExecute', () => {
    const noSchedule: TaintLike = { key: UNREACHABLE, effect: 'NoSchedule' };
    expect(evictionTime([noSchedule], [], now)).toBeUndefined();
    expect(evictionTime([], [], now)).toBeUndefined();
  });

  it('takes the earliest deadline over several taints; one untolerated taint evicts at once', () => {
    const notReady: TaintLike = {
      key: 'node.kubernetes.io/not-ready',
      effect: 'NoExecute',
      timeAdded: '2026-01-01T00:00:00Z',
    };
    const tolerations = [
      { key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 120 },
    ];
    expect(evictionTime([unreachable, notReady], tolerations, now)).toBe(T0 + 120_000);
    expect(evictionTime([unreachable, { key: 'x', effect: 'NoExecute' }], tolerations, now)).toBe(now);
  });
});
