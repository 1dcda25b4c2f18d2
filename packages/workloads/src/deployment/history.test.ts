import { describe, expect, it } from 'vitest';
import { UNLIMITED } from './constants';
import { replicaSetsToCleanUp } from './history';

const rs = (
  revision: number,
  extra: { replicas?: number; pods?: number; behind?: boolean; deleting?: boolean } = {},
) => ({
  metadata: {
    name: `rev-${revision}`,
    creationTimestamp: '2026-01-01T00:00:00Z',
    generation: extra.behind ? 2 : 1,
    annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: { replicas: extra.replicas ?? 0 },
  status: { replicas: extra.pods ?? 0, observedGeneration: 1 },
});
const names = (list: { metadata: { name: string } }[]) => list.map((r) => r.metadata.name);

describe('replicaSetsToCleanUp', () => {
  it('deletes the lowest revisions beyond the limit', () => {
    expect(names(replicaSetsToCleanUp([rs(5), rs(2), rs(4), rs(1), rs(3)], 2))).toEqual(['rev-1', 'rev-2', 'rev-3']);
    expect(names(replicaSetsToCleanUp([rs(1), rs(2)], 2))).toEqual([]);
    expect(names(replicaSetsToCleanUp([rs(1), rs(2)], 0))).toEqual(['rev-1', 'rev-2']);
  });

  it('keeps sets that have or are asked for pods, or whose controller is behind, without deleting newer ones instead', () => {
    const old = [rs(1, { pods: 1 }), rs(2, { replicas: 1 }), rs(3, { behind: true }), rs(4), rs(5)];
    expect(names(replicaSetsToCleanUp(old, 1))).toEqual(['rev-4']);
  });

  it('does not count sets already being deleted', () => {
    expect(names(replicaSetsToCleanUp([rs(1, { deleting: true }), rs(2), rs(3)], 2))).toEqual([]);
  });

  it('keeps everything with an unlimited history', () => {
    expect(replicaSetsToCleanUp([rs(1), rs(2)], UNLIMITED)).toEqual([]);
  });
});
