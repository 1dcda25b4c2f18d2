import type { InputOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { StatefulSet } from './statefulSet';
import { builtinStore, issuesOf } from './testStore';

type StatefulSetInput = InputOf<typeof StatefulSet>;

const claim = { accessModes: ['ReadWriteOnce' as const], resources: { requests: { storage: '1Gi' } } };

const db = (spec: Partial<StatefulSetInput['spec']> = {}): StatefulSetInput => ({
  metadata: { name: 'db', namespace: 'default' },
  spec: {
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: claim }],
    ...spec,
  },
});

describe('StatefulSet', () => {
  it("lets containers mount the claim templates' volumes, and still refuses a mount of nothing", async () => {
    const { store } = await builtinStore();
    const mounting = (mounts: string[]) =>
      db({
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [
              {
                name: 'db',
                image: 'postgres:16',
                volumeMounts: mounts.map((name) => ({ name, mountPath: `/${name}` })),
              },
            ],
            volumes: [{ name: 'scratch', emptyDir: {} }],
          },
        },
      });
    const set = await store.create(StatefulSet, mounting(['data', 'scratch']));
    expect(set.spec.template.spec.containers[0]?.volumeMounts?.map((m) => m.name)).toEqual(['data', 'scratch']);
    await store.delete(StatefulSet, 'db', { namespace: 'default' });
    expect(await issuesOf(store.create(StatefulSet, mounting(['data', 'logs'])))).toEqual([
      { path: 'spec.template.spec.containers[0].volumeMounts[1].name', message: 'Not found: "logs"' },
    ]);
  });

  it('applies the apps/v1 defaults and resets the status', async () => {
    const { store } = await builtinStore();
    const set = await store.create(StatefulSet, { ...db(), status: { replicas: 3 } });
    expect(set.apiVersion).toBe('apps/v1');
    expect(set.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      minReadySeconds: 0,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(set.spec.volumeClaimTemplates?.[0]?.spec.volumeMode).toBe('Filesystem');
    expect(set.status).toMatchObject({ replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0 });
    const ordinals = await store.create(StatefulSet, {
      ...db({ ordinals: {}, updateStrategy: { type: 'OnDelete' } }),
      metadata: { name: 'db2', namespace: 'default' },
    });
    expect(ordinals.spec.ordinals).toEqual({ start: 0 });
    expect(ordinals.spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  it('refuses a selector that misses the template, bad policies and bad claim templates, writing nothing', async () => {
    const { store } = await builtinStore();
    expect(await issuesOf(store.create(StatefulSet, db({ selector: { matchLabels: { app: 'web' } } })))).toEqual([
      { path: 'spec.template.metadata.labels', message: '`selector` does not match template `labels`' },
    ]);
    expect(
      await issuesOf(
        store.create(StatefulSet, {
          ...db({
            podManagementPolicy: 'Sometimes' as never,
            updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } },
            persistentVolumeClaimRetentionPolicy: { whenScaled: 'Keep' as never },
          }),
        } as never),
      ),
    ).toEqual([
      {
        path: 'spec.persistentVolumeClaimRetentionPolicy.whenScaled',
        message: 'Unsupported value: "Keep": supported values: "Delete", "Retain"',
      },
      {
        path: 'spec.podManagementPolicy',
        message: 'Unsupported value: "Sometimes": supported values: "OrderedReady", "Parallel"',
      },
      { path: 'spec.updateStrategy.rollingUpdate', message: "only allowed for updateStrategy 'RollingUpdate'" },
    ]);
    const templates = [
      { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } },
      { metadata: { name: 'data' }, spec: claim },
    ];
    expect(await issuesOf(store.create(StatefulSet, db({ volumeClaimTemplates: templates })))).toEqual([
      {
        path: 'spec.volumeClaimTemplates[0].spec.accessModes',
        message: 'Required value: at least 1 access mode is required',
      },
      { path: 'spec.volumeClaimTemplates[1].metadata.name', message: 'Duplicate value: "data"' },
    ]);
    expect((await store.list(StatefulSet)).items).toEqual([]);
  });

  it('changes only the mutable fields on update, and scales through the scale subresource', async () => {
    const { store } = await builtinStore();
    const set = await store.create(StatefulSet, db());
    expect(await issuesOf(store.update({ ...set, spec: { ...set.spec, serviceName: 'other' } }))).toEqual([
      {
        path: 'spec',
        message:
          "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      },
    ]);
    const partitioned = await store.update({
      ...set,
      spec: { ...set.spec, replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
    });
    expect(partitioned.spec.updateStrategy.rollingUpdate?.partition).toBe(2);
    const scale = await store.getScale(StatefulSet, 'db', { namespace: 'default' });
    expect(scale.spec.replicas).toBe(3);
    await store.updateScale(StatefulSet, 'db', { ...scale, spec: { replicas: 5 } }, { namespace: 'default' });
    expect((await store.get(StatefulSet, 'db', { namespace: 'default' })).spec.replicas).toBe(5);
  });
});
