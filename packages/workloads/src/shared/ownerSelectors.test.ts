import { type Pod, ReplicaSet } from '@keelson/api';
import type { Cache } from '@keelson/controller';
import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { observedPods } from './observedPods';
import { ownerSelector, ownersSelecting } from './ownerSelectors';

/** A cache over fixed objects that counts its namespace lists. */
function fakeCache(objects: readonly KubeObject[]) {
  const calls = { list: 0 };
  const inNamespace = (namespace: string | undefined) =>
    objects.filter((o) => namespace === undefined || o.metadata.namespace === namespace);
  const cache = {
    get: (_type: unknown, name: string, namespace?: string) =>
      objects.find((o) => o.metadata.name === name && o.metadata.namespace === namespace),
    list: (type: { kind: string }, options: { namespace?: string } = {}) => {
      calls.list += 1;
      return inNamespace(options.namespace).filter((o) => o.kind === type.kind);
    },
    controlledBy: () => [],
  } as unknown as Cache;
  return { cache, calls };
}

const rs = (name: string, namespace: string, selector: unknown) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace, uid: `uid-${name}` },
    spec: { selector },
  }) as never;

const pod = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels, ...extra },
  }) as unknown as Pod;

describe('ownersSelecting', () => {
  const owners = [
    rs('web', 'default', { matchLabels: { app: 'web' } }),
    rs('web-too', 'default', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }),
    rs('api', 'default', { matchLabels: { app: 'api' } }),
    rs('everything', 'default', {}),
    rs('elsewhere', 'other', { matchLabels: { app: 'web' } }),
  ];
  const { cache } = fakeCache(owners);
  const wake = ownersSelecting(ReplicaSet);

  it('wakes the owners of the orphan’s namespace whose non-empty selector picks it', () => {
    expect(wake(pod('p', { app: 'web' }), cache)).toEqual([
      { name: 'web', namespace: 'default' },
      { name: 'web-too', namespace: 'default' },
    ]);
    expect(wake(pod('q', { app: 'db' }), cache)).toEqual([]);
  });

  it('wakes nobody for an object that has a controller', () => {
    const ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'u', controller: true }];
    expect(wake(pod('p', { app: 'web' }, { ownerReferences }), cache)).toEqual([]);
    // A reference that is not the controller leaves it an orphan.
    const shared = [{ ...ownerReferences[0], controller: false }];
    expect(wake(pod('p', { app: 'api' }, { ownerReferences: shared }), cache)).toHaveLength(2);
  });
});

describe('ownerSelector', () => {
  it('parses once per object version and selects nothing without a selector', () => {
    const owner = rs('web', 'default', { matchLabels: { app: 'web' } });
    expect(ownerSelector(owner)).toBe(ownerSelector(owner));
    expect(ownerSelector(owner).matches({ app: 'web' })).toBe(true);
    const changed = rs('web', 'default', { matchLabels: { app: 'api' } });
    expect(ownerSelector(changed).matches({ app: 'web' })).toBe(false);
    expect(ownerSelector(rs('none', 'default', undefined)).matches({ app: 'web' })).toBe(false);
  });
});

describe('observedPods', () => {
  const pods: Pod[] = [
    pod('running', {}),
    pod('going', {}, { deletionTimestamp: '2026-01-01T00:00:00Z' }),
    { ...pod('other-ns', {}), metadata: { name: 'other-ns', namespace: 'other', uid: 'uid-other-ns' } } as Pod,
  ];

  it('answers has by name and live by uid, counting pods being deleted as gone', () => {
    const { cache } = fakeCache(pods);
    const observed = observedPods(cache, 'default');
    expect(observed.has('running')).toBe(true);
    expect(observed.has('missing')).toBe(false);
    expect(observed.live('uid-running')).toBe(true);
    expect(observed.live('uid-going')).toBe(false);
    expect(observed.live('uid-other-ns')).toBe(false);
    expect(observed.live('uid-missing')).toBe(false);
  });

  it('lists the namespace only when asked about a deletion, and then once', () => {
    const { cache, calls } = fakeCache(pods);
    const observed = observedPods(cache, 'default');
    observed.has('running');
    expect(calls.list).toBe(0);
    observed.live('uid-running');
    observed.live('uid-going');
    expect(calls.list).toBe(1);
  });
});
