import type { InputOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { DEPLOYMENT } from '../../test/documentationExamples';
import { DaemonSet } from './daemonSet';
import { Deployment } from './deployment';
import { ReplicaSet } from './replicaSet';
import { builtinStore, issuePaths, issuesOf, manifest } from './testStore';

type DeploymentInput = InputOf<typeof Deployment>;

const web = (spec: Partial<DeploymentInput['spec']> = {}): DeploymentInput => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    ...spec,
  },
});

describe('Deployment', () => {
  it('applies the apps/v1 defaults to the nginx example of the Deployments concept page', async () => {
    const { store, warnings } = await builtinStore();
    const deployment = await store.create(Deployment, manifest<DeploymentInput>(DEPLOYMENT));
    expect(warnings).toEqual([]);
    expect(deployment.spec).toMatchObject({
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      minReadySeconds: 0,
    });
    expect(deployment.spec.template.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
    });
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    // Pod-only defaults stay off templates, as upstream.
    expect(deployment.spec.template.spec).not.toHaveProperty('enableServiceLinks');
    expect(deployment.status).toEqual({
      replicas: 0,
      updatedReplicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: 0,
    });
  });

  it('defaults replicas to 1, fills in a partial rolling update and leaves Recreate alone', async () => {
    const { store } = await builtinStore();
    const partial = await store.create(Deployment, web({ strategy: { rollingUpdate: { maxSurge: 1 } } }));
    expect(partial.spec.replicas).toBe(1);
    expect(partial.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 },
    });
    const recreate = await store.create(Deployment, {
      ...web({ strategy: { type: 'Recreate' } }),
      metadata: { name: 'batch', namespace: 'default' },
    });
    expect(recreate.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('rejects a mismatched selector, a non-Always restart policy and bad rollout bounds', async () => {
    const { store } = await builtinStore();
    const mismatch = web({ selector: { matchLabels: { app: 'other' } } });
    expect(await issuePaths(store.create(Deployment, mismatch))).toEqual(['spec.template.metadata.labels']);
    expect(await issuePaths(store.create(Deployment, web({ selector: {} })))).toEqual(['spec.selector']);
    const never = web();
    never.spec.template.spec.restartPolicy = 'Never';
    const issues = await issuesOf(store.create(Deployment, never));
    expect(issues).toEqual([
      { path: 'spec.template.spec.restartPolicy', message: 'Unsupported value: "Never": supported values: "Always"' },
    ]);
    const zero = web({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } });
    expect(await issuePaths(store.create(Deployment, zero))).toEqual(['spec.strategy.rollingUpdate.maxUnavailable']);
    const recreate = web({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } });
    expect(await issuePaths(store.create(Deployment, recreate))).toEqual(['spec.strategy.rollingUpdate']);
    const percent = web({ strategy: { rollingUpdate: { maxSurge: 'half' } } });
    expect(await issuePaths(store.create(Deployment, percent))).toEqual(['spec.strategy.rollingUpdate.maxSurge']);
  });

  it('keeps the selector immutable and bumps generation on spec changes', async () => {
    const { store } = await builtinStore();
    const created = await store.create(Deployment, web());
    const scaled = await store.patch(
      Deployment,
      'web',
      (d) => {
        d.spec.replicas = 5;
      },
      { namespace: 'default' },
    );
    expect(scaled.metadata.generation).toBe(created.metadata.generation + 1);
    const moved = store.patch(
      Deployment,
      'web',
      (d) => {
        d.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
        d.spec.template.metadata.labels = { app: 'web', tier: 'x' };
      },
      { namespace: 'default' },
    );
    expect(await issuePaths(moved)).toEqual(['spec.selector']);
  });
});

describe('ReplicaSet', () => {
  it('accepts the frontend example with replicas and minReadySeconds defaults', async () => {
    const { store } = await builtinStore();
    const rs = await store.create(
      ReplicaSet,
      manifest<InputOf<typeof ReplicaSet>>(`
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
  namespace: default
  labels:
    app: guestbook
    tier: frontend
spec:
  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: frontend
    spec:
      containers:
      - name: php-redis
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
`),
    );
    expect(rs.spec).toMatchObject({ replicas: 1, minReadySeconds: 0 });
    expect(rs.status).toEqual({ replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0 });
    expect((await store.list(ReplicaSet, { fieldSelector: 'status.replicas=0' })).items).toHaveLength(1);
  });

  it('validates matchExpressions', async () => {
    const { store } = await builtinStore();
    const rs = {
      metadata: { name: 'rs', namespace: 'default' },
      spec: {
        selector: { matchExpressions: [{ key: 'tier', operator: 'In' as const }] },
        template: { metadata: { labels: { tier: 'a' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    };
    expect(await issuePaths(store.create(ReplicaSet, rs))).toEqual(['spec.selector.matchExpressions[0].values']);
  });
});

describe('DaemonSet', () => {
  it('accepts the fluentd-elasticsearch example and defaults the update strategy', async () => {
    const { store, warnings } = await builtinStore();
    const ds = await store.create(
      DaemonSet,
      manifest<InputOf<typeof DaemonSet>>(`
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels:
    k8s-app: fluentd-logging
spec:
  selector:
    matchLabels:
      name: fluentd-elasticsearch
  template:
    metadata:
      labels:
        name: fluentd-elasticsearch
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      - key: node-role.kubernetes.io/master
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
        resources:
          limits:
            memory: 200Mi
          requests:
            cpu: 100m
            memory: 200Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
      terminationGracePeriodSeconds: 30
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
`),
    );
    expect(warnings).toEqual([]);
    expect(ds.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    expect(ds.spec).toMatchObject({ revisionHistoryLimit: 10, minReadySeconds: 0 });
    expect(ds.spec.template.spec.volumes).toEqual([{ name: 'varlog', hostPath: { path: '/var/log', type: '' } }]);
    expect(ds.status).toMatchObject({
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    });
  });

  it('leaves OnDelete without rolling parameters and checks volume mounts', async () => {
    const { store } = await builtinStore();
    const base = {
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        updateStrategy: { type: 'OnDelete' as const },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: {
            containers: [{ name: 'agent', image: 'agent:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          },
        },
      },
    };
    expect(await issuePaths(store.create(DaemonSet, base))).toEqual([
      'spec.template.spec.containers[0].volumeMounts[0].name',
    ]);
    base.spec.template.spec = {
      ...base.spec.template.spec,
      volumes: [{ name: 'data' }],
    } as typeof base.spec.template.spec;
    const ds = await store.create(DaemonSet, base);
    expect(ds.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(ds.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
  });
});
