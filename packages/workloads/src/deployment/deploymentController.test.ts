import { Deployment, Event, ReplicaSet } from '@keelson/api';
import type { Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { controllerOf } from '../shared/index';
import { startWorkloads, type WorkloadHarness } from '../testSupport';
import { deploymentController } from './deploymentController';
import { podTemplateHash, SAFE_ENCODE_ALPHABET } from './podTemplateHash';
import {
  createWebDeployment,
  getDeployment,
  replicaSetsOf,
  reportReplicaSet,
  settleReplicaSets,
} from './replicaSetStandIn';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(): Promise<WorkloadHarness> {
  harness = await startWorkloads([deploymentController()]);
  return harness;
}

async function eventsOf(store: Store, name: string): Promise<string[]> {
  const { items } = await store.list(Event, { namespace: 'default' });
  return items
    .filter((e) => e.involvedObject.name === name && e.involvedObject.kind === 'Deployment')
    .map((e) => `${e.reason}: ${e.message}`);
}

describe('deploymentController: a new Deployment', () => {
  it('creates <name>-<pod-template-hash> with the hash on its labels, selector and template', async () => {
    const { store, advance } = await start();
    const d = await createWebDeployment(store, { replicas: 3, minReadySeconds: 5 });
    await advance();
    const [rs, ...others] = await replicaSetsOf(store);
    expect(others).toEqual([]);
    const hash = podTemplateHash(d.spec.template);
    expect(hash).toMatch(new RegExp(`^[${SAFE_ENCODE_ALPHABET}]+$`));
    expect(rs?.metadata.name).toBe(`web-${hash}`);
    expect(rs?.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs?.spec.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs?.spec.template.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs?.spec.replicas).toBe(3);
    expect(rs?.spec.minReadySeconds).toBe(5);
    expect(rs?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: d.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    // 3 replicas at 25%: maxSurge rounds 0.75 up to 1, so max-replicas is 4.
    expect(rs?.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const after = await getDeployment(store);
    expect(after.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(after.status?.observedGeneration).toBe(1);
    const progressing = after.status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "web-${hash}"`,
    });
    expect(await eventsOf(store, 'web')).toEqual([`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
  });

  it('passes a changed minReadySeconds on to the existing ReplicaSet without a new rollout', async () => {
    const { store, advance } = await start();
    await createWebDeployment(store, { replicas: 2 });
    await advance();
    await store.patch(
      Deployment,
      'web',
      (draft) => {
        draft.spec.minReadySeconds = 10;
        return undefined;
      },
      { namespace: 'default' },
    );
    await advance();
    const sets = await replicaSetsOf(store);
    expect(
      sets.map((rs) => [rs.spec.minReadySeconds, rs.metadata.annotations?.['deployment.kubernetes.io/revision']]),
    ).toEqual([[10, '1']]);
  });

  it('reports the ReplicaSet counts and turns Available and Progressing complete once all pods are available', async () => {
    const { store, advance } = await start();
    await createWebDeployment(store, { replicas: 3 });
    await advance();
    const [rs] = await replicaSetsOf(store);
    if (!rs) throw new Error('no ReplicaSet');
    await advance(1000);
    // 3 pods, 2 ready, 1 available: 3 − maxUnavailable (0.75 rounds down to 0) = 3 needed.
    await reportReplicaSet(store, rs, { replicas: 3, ready: 2, available: 1 });
    await advance();
    let d = await getDeployment(store);
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 1,
      unavailableReplicas: 2,
    });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${rs.metadata.name}" is progressing.`,
      lastUpdateTime: '2026-01-01T00:00:01Z',
    });
    await settleReplicaSets(store);
    await advance(1000);
    d = await getDeployment(store);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
    });
  });

  it('adopts a matching orphan ReplicaSet with its template instead of creating one', async () => {
    const { store, advance } = await start();
    const orphan = await store.create(ReplicaSet, {
      metadata: { name: 'web-handmade', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
        },
      },
    });
    const d = await createWebDeployment(store, { replicas: 2 });
    await advance();
    const all = await replicaSetsOf(store);
    expect(all.map((rs) => rs.metadata.name)).toEqual(['web-handmade']);
    const adopted = all[0];
    expect(adopted?.metadata.uid).toBe(orphan.metadata.uid);
    expect(adopted?.metadata.ownerReferences?.[0]).toMatchObject({ uid: d.metadata.uid, controller: true });
    expect(adopted?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect((await getDeployment(store)).status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      reason: 'FoundNewReplicaSet',
      message: 'Found new replica set "web-handmade"',
    });
  });

  it('releases a ReplicaSet whose labels stop matching its selector', async () => {
    const { store, advance } = await start();
    await createWebDeployment(store, { replicas: 2 });
    await advance();
    const [rs] = await replicaSetsOf(store);
    if (!rs) throw new Error('no ReplicaSet');
    await store.patch(
      ReplicaSet,
      rs.metadata.name,
      (draft) => {
        draft.metadata.labels = { app: 'other', 'pod-template-hash': 'x' };
        return undefined;
      },
      { namespace: 'default' },
    );
    await advance();
    const released = await store.get(ReplicaSet, rs.metadata.name, { namespace: 'default' });
    expect(controllerOf(released)).toBeUndefined();
    // The Deployment has no ReplicaSet left, so it makes a new one: same template, same hash, name taken.
    // That is a collision: collisionCount goes to 1 and the next hash is free.
    await advance(1000);
    const d = await getDeployment(store);
    expect(d.status?.collisionCount).toBe(1);
    const names = (await replicaSetsOf(store)).map((r) => r.metadata.name).sort();
    expect(names).toEqual([rs.metadata.name, `web-${podTemplateHash(d.spec.template, 1)}`].sort());
  });
});

describe('deploymentController: failures', () => {
  it('refuses a bad maxRetries', () => {
    expect(() => deploymentController({ maxRetries: -1 })).toThrow(/maxRetries must be an integer >= 0/);
  });

  it('reports a ReplicaSet it cannot create, retries, and gives up after maxRetries', async () => {
    harness = await startWorkloads([deploymentController({ maxRetries: 2 })]);
    const { store, advance, errors } = harness;
    // A valid Deployment name whose ReplicaSet name (<name>-<hash>) is over 253 characters.
    const name = 'a'.repeat(250);
    const d = await store.create(Deployment, {
      metadata: { name, namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'long' } },
        template: { metadata: { labels: { app: 'long' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    });
    await advance(60_000);
    const after = await getDeployment(store, name);
    const progressing = after.status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'False', reason: 'ReplicaSetCreateError' });
    expect(progressing?.message).toMatch(
      new RegExp(`^Failed to create new replica set "${name}-${podTemplateHash(d.spec.template)}": `),
    );
    expect(await eventsOf(store, name)).toContainEqual(
      expect.stringMatching(/^ReplicaSetCreateError: Failed to create/),
    );
    const mine = errors.filter((e) => e.includes(`default/${name}`));
    expect(mine.filter((e) => e.includes('will be retried'))).toHaveLength(2);
    expect(mine.filter((e) => e.includes('giving up'))).toHaveLength(1);
  });
});
