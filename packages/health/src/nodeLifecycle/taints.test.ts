import { NOT_READY_TAINT, UNREACHABLE_TAINT } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import {
  MEMORY_PRESSURE_TAINT,
  noExecuteTaintKey,
  noScheduleTaintKeys,
  reconcileNodeTaints,
  type TaintedNode,
  UNSCHEDULABLE_TAINT,
} from './taints';
import type { TaintLike } from './tolerations';

const NOW = '2026-01-01T00:01:25Z';
const EARLIER = '2026-01-01T00:00:00Z';
const node = (ready: string | undefined, taints?: TaintLike[], extra: Partial<TaintedNode['spec']> = {}) => ({
  spec: { ...(taints === undefined ? {} : { taints }), ...extra },
  status: { conditions: ready === undefined ? [] : [{ type: 'Ready', status: ready }] },
});

describe('noScheduleTaintKeys (TaintNodesByCondition)', () => {
  it('maps conditions and unschedulable to NoSchedule taints', () => {
    expect(noScheduleTaintKeys(node('False'))).toEqual([NOT_READY_TAINT]);
    expect(noScheduleTaintKeys(node('Unknown'))).toEqual([UNREACHABLE_TAINT]);
    expect(noScheduleTaintKeys(node('True'))).toEqual([]);
    expect(
      noScheduleTaintKeys({
        spec: { unschedulable: true },
        status: {
          conditions: [
            { type: 'MemoryPressure', status: 'True' },
            { type: 'DiskPressure', status: 'False' },
          ],
        },
      }),
    ).toEqual([MEMORY_PRESSURE_TAINT, UNSCHEDULABLE_TAINT]);
  });
});

describe('noExecuteTaintKey', () => {
  it('follows Ready, and leaves a node without Ready alone', () => {
    expect(noExecuteTaintKey('False')).toBe(NOT_READY_TAINT);
    expect(noExecuteTaintKey('Unknown')).toBe(UNREACHABLE_TAINT);
    expect(noExecuteTaintKey('True')).toBeUndefined();
    expect(noExecuteTaintKey(undefined)).toBeNull();
  });
});

describe('reconcileNodeTaints', () => {
  it('adds the unreachable NoSchedule and NoExecute taints with timeAdded for Ready=Unknown', () => {
    expect(reconcileNodeTaints(node('Unknown'), NOW)).toEqual([
      { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: NOW },
      { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: NOW },
    ]);
  });

  it('swaps unreachable for not-ready when the node reports Ready=False, keeping other taints in place', () => {
    const mine = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' } as const;
    const before: TaintLike[] = [
      { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: EARLIER },
      mine,
      { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: EARLIER },
    ];
    expect(reconcileNodeTaints(node('False', before), NOW)).toEqual([
      mine,
      { key: NOT_READY_TAINT, effect: 'NoSchedule', timeAdded: NOW },
      { key: NOT_READY_TAINT, effect: 'NoExecute', timeAdded: NOW },
    ]);
  });

  it('removes its taints when the node is Ready again, and keeps a taint that is still due (and its timeAdded)', () => {
    const tainted: TaintLike[] = [
      { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: EARLIER },
      { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: EARLIER },
    ];
    expect(reconcileNodeTaints(node('True', tainted), NOW)).toEqual([]);
    expect(reconcileNodeTaints(node('Unknown', tainted), NOW)).toBeUndefined();
  });

  it('leaves NoExecute taints alone without a Ready condition, or when asked to', () => {
    const tainted: TaintLike[] = [{ key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: EARLIER }];
    expect(reconcileNodeTaints(node(undefined, tainted), NOW)).toBeUndefined();
    expect(reconcileNodeTaints(node('True', tainted), NOW, { noExecute: false })).toBeUndefined();
    expect(reconcileNodeTaints(node('Unknown'), NOW, { noExecute: false })).toEqual([
      { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: NOW },
    ]);
  });

  it('manages the unschedulable taint', () => {
    expect(reconcileNodeTaints(node('True', [], { unschedulable: true }), NOW)).toEqual([
      { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule', timeAdded: NOW },
    ]);
    const cordoned: TaintLike[] = [{ key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' }];
    expect(reconcileNodeTaints(node('True', cordoned), NOW)).toEqual([]);
    expect(reconcileNodeTaints(node('True'), NOW)).toBeUndefined();
  });
});
