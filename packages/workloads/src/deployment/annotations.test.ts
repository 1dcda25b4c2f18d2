import { describe, expect, it } from 'vitest';
import {
  appendRevisionHistory,
  copyDeploymentAnnotations,
  intAnnotation,
  newReplicaSetAnnotations,
} from './annotations';

const base = { deployment: undefined, replicaSet: undefined, desiredReplicas: 3, maxReplicas: 4 };

describe('newReplicaSetAnnotations', () => {
  it('gives a ReplicaSet being created its revision and its replicas annotations', () => {
    expect(newReplicaSetAnnotations({ ...base, newRevision: 1, exists: false })).toEqual({
      annotations: {
        'deployment.kubernetes.io/revision': '1',
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
      },
      changed: true,
    });
  });

  it('raises a reused ReplicaSet to the new revision and records the old one in revision-history', () => {
    const first = newReplicaSetAnnotations({
      ...base,
      replicaSet: { 'deployment.kubernetes.io/revision': '1' },
      newRevision: 4,
      exists: true,
    });
    expect(first.annotations).toEqual({
      'deployment.kubernetes.io/revision': '4',
      'deployment.kubernetes.io/revision-history': '1',
    });
    const second = newReplicaSetAnnotations({ ...base, replicaSet: first.annotations, newRevision: 6, exists: true });
    expect(second.annotations['deployment.kubernetes.io/revision-history']).toBe('1,4');
  });

  it('never lowers a revision, and leaves an unreadable one alone', () => {
    const same = newReplicaSetAnnotations({
      ...base,
      replicaSet: { 'deployment.kubernetes.io/revision': '5' },
      newRevision: 3,
      exists: true,
    });
    expect(same).toEqual({ annotations: { 'deployment.kubernetes.io/revision': '5' }, changed: false });
    const bad = newReplicaSetAnnotations({
      ...base,
      replicaSet: { 'deployment.kubernetes.io/revision': 'five' },
      newRevision: 3,
      exists: true,
    });
    expect(bad).toEqual({ annotations: { 'deployment.kubernetes.io/revision': 'five' }, changed: false });
  });

  it('copies the Deployment’s annotations but not the ones that belong to one object', () => {
    const copied = copyDeploymentAnnotations(
      {
        'kubernetes.io/change-cause': 'kubectl set image',
        'team.example.com/owner': 'web',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        'deployment.kubernetes.io/revision': '9',
        'deployment.kubernetes.io/desired-replicas': '1',
      },
      { 'deployment.kubernetes.io/revision': '2' },
    );
    expect(copied).toEqual({
      annotations: {
        'deployment.kubernetes.io/revision': '2',
        'kubernetes.io/change-cause': 'kubectl set image',
        'team.example.com/owner': 'web',
      },
      changed: true,
    });
    expect(copyDeploymentAnnotations({ a: '1' }, { a: '1' }).changed).toBe(false);
  });
});

describe('appendRevisionHistory', () => {
  it('drops the oldest entries to stay within the limit', () => {
    expect(appendRevisionHistory(undefined, '3')).toBe('3');
    expect(appendRevisionHistory('1,2', '3')).toBe('1,2,3');
    // 'aaa,bbb,c' is 9 characters; with a limit of 7 the oldest goes.
    expect(appendRevisionHistory('aaa,bbb', 'c', 7)).toBe('bbb,c');
    expect(appendRevisionHistory('1', '12345678', 5)).toBeUndefined();
  });
});

describe('intAnnotation', () => {
  it('reads 32-bit integers only', () => {
    expect(intAnnotation({ n: '42' }, 'n')).toBe(42);
    expect(intAnnotation({ n: '4.2' }, 'n')).toBeUndefined();
    expect(intAnnotation({ n: '99999999999' }, 'n')).toBeUndefined();
    expect(intAnnotation(undefined, 'n')).toBeUndefined();
  });
});
