import { describe, expect, it } from 'vitest';
import { markDisruptionTarget, markNodeStatusUnknown, markPodNotReady } from './conditions';

const BEFORE = '2026-01-01T00:00:00Z';
const NOW = '2026-01-01T00:01:25Z';

describe('markNodeStatusUnknown', () => {
  it('turns Ready and the pressure conditions present Unknown, keeping heartbeats; NetworkUnavailable is not the kubelet’s', () => {
    const conditions = Object.freeze([
      Object.freeze({ type: 'Ready', status: 'True' as const, lastHeartbeatTime: BEFORE, lastTransitionTime: BEFORE }),
      Object.freeze({ type: 'MemoryPressure', status: 'False' as const, lastHeartbeatTime: BEFORE }),
      Object.freeze({ type: 'NetworkUnavailable', status: 'False' as const }),
    ]);
    const unknown = { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
    expect(markNodeStatusUnknown(conditions, NOW)).toEqual([
      { type: 'Ready', ...unknown, lastHeartbeatTime: BEFORE, lastTransitionTime: NOW },
      { type: 'MemoryPressure', ...unknown, lastHeartbeatTime: BEFORE, lastTransitionTime: NOW },
      { type: 'NetworkUnavailable', status: 'False' },
    ]);
  });

  it('changes nothing on a node already Unknown', () => {
    expect(markNodeStatusUnknown([{ type: 'Ready', status: 'Unknown' }], NOW)).toBeUndefined();
  });

  it('adds Ready for a node that never posted it, without a heartbeat', () => {
    expect(markNodeStatusUnknown(undefined, NOW)).toEqual([
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastTransitionTime: NOW,
      },
    ]);
  });
});

describe('markPodNotReady', () => {
  it('turns Ready False with a new transition time, keeping the rest', () => {
    const conditions = [
      { type: 'PodScheduled', status: 'True' as const },
      { type: 'Ready', status: 'True' as const, lastTransitionTime: BEFORE, reason: 'Started' },
    ];
    expect(markPodNotReady(conditions, NOW)).toEqual([
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', lastTransitionTime: NOW, reason: 'Started' },
    ]);
  });

  it('leaves pods without Ready, or already not ready, alone', () => {
    expect(markPodNotReady([{ type: 'PodScheduled', status: 'True' }], NOW)).toBeUndefined();
    expect(markPodNotReady([{ type: 'Ready', status: 'False' }], NOW)).toBeUndefined();
    expect(markPodNotReady(undefined, NOW)).toBeUndefined();
  });
});

describe('markDisruptionTarget', () => {
  it('adds DisruptionTarget once', () => {
    const marked = markDisruptionTarget([], NOW);
    expect(marked).toEqual([
      {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
        lastTransitionTime: NOW,
      },
    ]);
    expect(markDisruptionTarget(marked, NOW)).toBeUndefined();
  });
});
