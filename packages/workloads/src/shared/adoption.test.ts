/**
 * Adoption through the controller-uid index: the DaemonSet, StatefulSet and
 * Job controllers claim matching orphans and leave pods another controller
 * owns alone, although those match the selector too.
 */
import { Job, Pod } from '@keelson/api';
import type { Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../daemonset/daemonSetTestSupport';
import { daemonSetController } from '../daemonset/index';
import { jobController } from '../job/index';
import { statefulSetController } from '../statefulset/index';
import { createWeb } from '../statefulset/statefulSetTestSupport';
import { addReadyNode, startWorkloads, type WorkloadHarness } from '../testSupport';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const FOREIGN_OWNER = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: 'someone',
  uid: 'uid-someone',
  controller: true,
};

async function createPod(store: Store, name: string, labels: Record<string, string>, owned: boolean): Promise<Pod> {
  return store.create(Pod, {
    metadata: { name, namespace: 'default', labels, ...(owned ? { ownerReferences: [FOREIGN_OWNER] } : {}) },
    spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'c:1' }] },
  } as never);
}

const controllerUid = async (store: Store, name: string) =>
  (await store.get(Pod, name, { namespace: 'default' })).metadata.ownerReferences?.find((r) => r.controller)?.uid;

describe('adoption from the controller index', () => {
  it('a DaemonSet adopts a matching orphan and leaves another controller’s pod alone', async () => {
    harness = await startWorkloads([daemonSetController()]);
    const { store, advance } = harness;
    await addReadyNode(store, 'n1');
    await createPod(store, 'stray', { app: 'agent' }, false);
    await createPod(store, 'foreign', { app: 'agent' }, true);
    const ds = await createAgent(store);
    await advance();
    expect(await controllerUid(store, 'stray')).toBe(ds.metadata.uid);
    const foreign = await store.get(Pod, 'foreign', { namespace: 'default' });
    expect(foreign.metadata.ownerReferences).toEqual([FOREIGN_OWNER]);
    expect(foreign.metadata.deletionTimestamp).toBeUndefined();
  });

  it('a StatefulSet adopts its orphaned member and not another controller’s pod', async () => {
    // No garbage collector here: it would delete the pod whose owner does not exist.
    harness = await startWorkloads([statefulSetController()]);
    const { store, advance } = harness;
    await createPod(store, 'web-0', { app: 'web' }, false);
    await createPod(store, 'web-other', { app: 'web' }, true);
    const set = await createWeb(store, { replicas: 1 });
    await advance();
    expect(await controllerUid(store, 'web-0')).toBe(set.metadata.uid);
    expect(await controllerUid(store, 'web-other')).toBe(FOREIGN_OWNER.uid);
  });

  it('a Job counts an adopted orphan as active and ignores another controller’s pod', async () => {
    harness = await startWorkloads([jobController()]);
    const { store, advance } = harness;
    await createPod(store, 'stray', { app: 'pi' }, false);
    await createPod(store, 'foreign', { app: 'pi' }, true);
    const job = await store.create(Job, {
      metadata: { name: 'pi', namespace: 'default' },
      spec: {
        manualSelector: true,
        selector: { matchLabels: { app: 'pi' } },
        template: {
          metadata: { labels: { app: 'pi' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] },
        },
      },
    } as never);
    await advance();
    expect(await controllerUid(store, 'stray')).toBe(job.metadata.uid);
    expect(await controllerUid(store, 'foreign')).toBe(FOREIGN_OWNER.uid);
    const { items } = await store.list(Pod, { namespace: 'default' });
    expect(items.map((p) => p.metadata.name).sort()).toEqual(['foreign', 'stray']);
    expect((await store.get(Job, 'pi', { namespace: 'default' })).status?.active).toBe(1);
  });
});
