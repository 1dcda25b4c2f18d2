import {
  builtinAdmission,
  builtinTypes,
  ensureSystemNamespaces,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Service,
} from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { ClusterHooks } from '../src/scheduler/clusterHooks';
import { createScheduler } from '../src/scheduler/scheduler';
import { makePod } from './harness';

async function storeWithWorkloads() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(1, 'hooks'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  await store.create(Namespace, { metadata: { name: 'team-a', labels: { team: 'a' } }, spec: {} });
  await store.create(Service, {
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  await store.create(ReplicaSet, {
    metadata: { name: 'web-1', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web', tier: 'front' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'front' } },
        spec: { containers: [{ name: 'c', image: 'web:1' }] },
      },
    },
  });
  return { clock, store };
}

describe('cluster hooks for the default plugins', () => {
  it("derives Kubernetes' default selector from the Services and ReplicaSets selecting a pod", async () => {
    const { store } = await storeWithWorkloads();
    const hooks = new ClusterHooks(store);
    await hooks.start();
    const selector = hooks.defaultSelector(makePod('w', {}, { labels: { app: 'web', tier: 'front', pod: 'x' } }));
    expect(selector?.toString()).toBe('app=web,tier=front');
    expect(hooks.defaultSelector(makePod('o', {}, { labels: { app: 'other' } }))).toBeUndefined();
    expect(hooks.defaultSelector(makePod('n', {}, { labels: { app: 'web' }, namespace: 'team-a' }))).toBeUndefined();
    expect(hooks.namespaceLabels('team-a')).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'team-a' });
    expect(hooks.namespaceLabels('nope')).toBeUndefined();
    hooks.stop();
  });

  it('finds every selecting ReplicaSet and Service among many, whichever label files them', async () => {
    const { store } = await storeWithWorkloads();
    const rs = (name: string, selector: object, labels: Record<string, string>) =>
      store.create(ReplicaSet, {
        metadata: { name, namespace: 'default' },
        spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
      });
    for (let i = 0; i < 20; i++) await rs(`other-${i}`, { matchLabels: { app: `other-${i}` } }, { app: `other-${i}` });
    // Filed under tier=front (its smallest key), not under the pod's app label.
    await rs('by-tier', { matchLabels: { zz: 'x', tier: 'front' } }, { zz: 'x', tier: 'front' });
    // No matchLabels: filed under '*', checked for every pod of the namespace.
    await rs('by-expression', { matchExpressions: [{ key: 'pod', operator: 'In', values: ['x', 'y'] }] }, { pod: 'x' });
    await rs('wrong-value', { matchLabels: { tier: 'back' } }, { tier: 'back' });
    await store.create(Service, {
      metadata: { name: 'by-pod', namespace: 'default' },
      spec: { selector: { pod: 'x' }, ports: [{ port: 80 }] },
    });
    const hooks = new ClusterHooks(store);
    await hooks.start();
    const labels = { app: 'web', tier: 'front', pod: 'x', zz: 'x' };
    expect(hooks.defaultSelector(makePod('a', {}, { labels }))?.toString()).toBe(
      'app=web,pod=x,pod in (x,y),tier=front,zz=x',
    );
    // Only by-expression selects this one, and alone its own selector is the answer.
    const alone = hooks.defaultSelector(makePod('b', {}, { labels: { pod: 'y' } }));
    expect(alone?.toString()).toBe('pod in (x,y)');
    expect(alone?.matches({ pod: 'z' })).toBe(false);
    expect(hooks.defaultSelector(makePod('c', {}, { labels: { tier: 'back', zz: 'x' } }))?.toString()).toBe(
      'tier=back',
    );
    await store.delete(ReplicaSet, 'by-expression', { namespace: 'default' });
    expect(hooks.defaultSelector(makePod('d', {}, { labels: { pod: 'y' } }))).toBeUndefined();
    hooks.stop();
  });

  it('lets createScheduler honour a namespaceSelector in pod anti-affinity', async () => {
    const { clock, store } = await storeWithWorkloads();
    for (const name of ['n1', 'n2']) {
      await store.create(Node, {
        metadata: { name, labels: { 'kubernetes.io/hostname': name } },
        spec: {},
        status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
      });
    }
    await store.create(Pod, {
      metadata: { name: 'db', namespace: 'team-a', labels: { app: 'db' } },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'db:1' }] },
    });
    // n2 is busy, so scores alone would pick n1: only the anti-affinity across namespaces sends loner to n2.
    await store.create(Pod, {
      metadata: { name: 'busy', namespace: 'default' },
      spec: {
        nodeName: 'n2',
        containers: [{ name: 'c', image: 'b:1', resources: { requests: { cpu: '3', memory: '6Gi' } } }],
      },
    });
    const scheduler = createScheduler({ store, clock, random: createRandom(1, 's'), recorder: false });
    await scheduler.start();
    await store.create(Pod, {
      metadata: { name: 'loner', namespace: 'default' },
      spec: {
        containers: [{ name: 'c', image: 'app:1' }],
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchLabels: { app: 'db' } },
                namespaceSelector: { matchLabels: { team: 'a' } },
              },
            ],
          },
        },
      },
    });
    for (let i = 0; i < 10; i++) {
      await clock.advance(0);
      await scheduler.idle();
    }
    expect((await store.get(Pod, 'loner', { namespace: 'default' })).spec.nodeName).toBe('n2');
    await scheduler.stop();
  });
});
