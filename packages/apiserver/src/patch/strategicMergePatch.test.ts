import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch, strategicMergeSchemaFor } from './index';

const podSchema = strategicMergeSchemaFor('v1', 'Pod');
const deploymentSchema = strategicMergeSchemaFor('apps/v1', 'Deployment');

const pod = Object.freeze({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', finalizers: ['a', 'b'], labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        args: ['--a', '--b'],
      },
      { name: 'sidecar', image: 'envoy:1' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'x', operator: 'Exists' }],
  },
});

type Pod = typeof pod;

function patchPod(patch: unknown): Pod {
  return applyStrategicMergePatch(pod, patch, podSchema) as Pod;
}

describe('applyStrategicMergePatch', () => {
  it('merges containers by name and env by name, keeping the rest', () => {
    const patched = patchPod({
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:2',
            env: [
              { name: 'B', value: 'two' },
              { name: 'C', value: '3' },
            ],
          },
        ],
      },
    });
    expect(patched.spec.containers.map((c) => c.name)).toEqual(['web', 'sidecar']);
    expect(patched.spec.containers[0]?.image).toBe('nginx:2');
    expect(patched.spec.containers[0]?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
    expect(patched.spec.containers[1]).toBe(pod.spec.containers[1]);
    expect(pod.spec.containers[0]?.image).toBe('nginx:1');
  });

  it('appends items with a new key, and ports merge by containerPort', () => {
    const patched = patchPod({
      spec: {
        containers: [
          { name: 'web', ports: [{ containerPort: 443 }] },
          { name: 'init', image: 'busybox' },
        ],
      },
    });
    expect(patched.spec.containers.map((c) => c.name)).toEqual(['web', 'sidecar', 'init']);
    expect(patched.spec.containers[0]?.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }]);
  });

  it('replaces lists that have no strategy (args, tolerations)', () => {
    const patched = patchPod({
      spec: { tolerations: [{ key: 'y', operator: 'Exists' }], containers: [{ name: 'web', args: ['--c'] }] },
    });
    expect(patched.spec.tolerations).toEqual([{ key: 'y', operator: 'Exists' }]);
    expect(patched.spec.containers[0]?.args).toEqual(['--c']);
  });

  it('deletes an item with $patch: delete and a field with null', () => {
    const patched = patchPod({
      metadata: { labels: { app: null } },
      spec: {
        containers: [
          { name: 'sidecar', $patch: 'delete' },
          { name: 'web', env: [{ name: 'A', $patch: 'delete' }] },
        ],
      },
    });
    expect(patched.metadata.labels).toEqual({});
    expect(patched.spec.containers.map((c) => c.name)).toEqual(['web']);
    expect(patched.spec.containers[0]?.env).toEqual([{ name: 'B', value: '2' }]);
  });

  it('replaces a merged list with a {$patch: replace} item', () => {
    const patched = patchPod({ spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } });
    expect(patched.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('replaces or deletes a map with $patch', () => {
    expect(patchPod({ metadata: { labels: { tier: 'db', $patch: 'replace' } } }).metadata.labels).toEqual({
      tier: 'db',
    });
    expect(patchPod({ metadata: { labels: { $patch: 'delete' } } }).metadata.labels).toEqual({});
  });

  it('merges finalizers as a set and removes with $deleteFromPrimitiveList', () => {
    expect(patchPod({ metadata: { finalizers: ['b', 'c'] } }).metadata.finalizers).toEqual(['a', 'b', 'c']);
    expect(patchPod({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }).metadata.finalizers).toEqual(['b']);
  });

  it('orders a merged list with $setElementOrder, the server-only items last', () => {
    const patched = patchPod({
      spec: {
        '$setElementOrder/containers': [{ name: 'new' }, { name: 'web' }],
        containers: [{ name: 'new', image: 'n' }],
      },
    });
    expect(patched.spec.containers.map((c) => c.name)).toEqual(['new', 'web', 'sidecar']);
  });

  it('drops keys not in $retainKeys (volume source switch)', () => {
    const patched = patchPod({
      spec: { volumes: [{ name: 'data', hostPath: { path: '/d' }, $retainKeys: ['hostPath', 'name'] }] },
    });
    expect(patched.spec.volumes).toEqual([{ name: 'data', hostPath: { path: '/d' } }]);
  });

  it('applies what client-side kubectl apply sends for a Deployment', () => {
    const live = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: {
        replicas: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
        },
      },
    };
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{"replicas":3}}' } },
      spec: {
        replicas: 3,
        strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [{ name: 'web', image: 'nginx:2' }],
          },
        },
      },
    };
    const patched = applyStrategicMergePatch(live, patch, deploymentSchema) as typeof live;
    expect(patched.spec.replicas).toBe(3);
    expect(patched.spec.strategy).toEqual({ type: 'Recreate' });
    expect(patched.spec.template.spec.containers).toEqual([
      { name: 'web', image: 'nginx:2', ports: [{ containerPort: 80, protocol: 'TCP' }] },
    ]);
    expect(patched.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"spec":{"replicas":3}}',
    );
  });

  it('behaves as a merge patch without a schema', () => {
    const patched = applyStrategicMergePatch(
      pod,
      { spec: { containers: [{ name: 'x' }] }, metadata: { labels: { b: '1' } } },
      undefined,
    ) as Pod;
    expect(patched.spec.containers).toEqual([{ name: 'x' }]);
    expect(patched.metadata.labels).toEqual({ app: 'web', b: '1' });
  });

  it('refuses items without their merge key and unknown directives', () => {
    const run = (patch: unknown) => () => patchPod(patch);
    expect(run({ spec: { containers: [{ image: 'x' }] } })).toThrow(
      'strategic merge patch at spec.containers[0]: list item does not contain declared merge key "name"',
    );
    expect(run({ metadata: { labels: { $patch: 'explode' } } })).toThrow(
      'at metadata.labels: unknown $patch directive "explode"',
    );
    expect(run({ metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } })).toThrow(/must be a list/);
    expect(() => applyStrategicMergePatch(pod, [], podSchema)).toThrow(
      'strategic merge patch must be a JSON object, not array',
    );
    const error = (() => {
      try {
        patchPod({ spec: { containers: [{}] } });
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
  });
});

describe('strategicMergeSchemaFor', () => {
  it('finds the pod template inside every workload kind', () => {
    for (const [apiVersion, kind] of [
      ['apps/v1', 'Deployment'],
      ['apps/v1', 'ReplicaSet'],
      ['apps/v1', 'StatefulSet'],
      ['apps/v1', 'DaemonSet'],
      ['batch/v1', 'Job'],
    ] as const) {
      const containers = strategicMergeSchemaFor(apiVersion, kind)?.fields?.spec?.fields?.template?.fields?.spec?.fields
        ?.containers;
      expect(containers?.patchMergeKey, kind).toBe('name');
    }
    const cronJob = strategicMergeSchemaFor('batch/v1', 'CronJob');
    expect(
      cronJob?.fields?.spec?.fields?.jobTemplate?.fields?.spec?.fields?.template?.fields?.spec?.fields?.volumes
        ?.patchMergeKey,
    ).toBe('name');
  });

  it('knows Service ports by port, node conditions by type, owner references by uid', () => {
    expect(strategicMergeSchemaFor('v1', 'Service')?.fields?.spec?.fields?.ports?.patchMergeKey).toBe('port');
    expect(strategicMergeSchemaFor('v1', 'Node')?.fields?.status?.fields?.conditions?.patchMergeKey).toBe('type');
    expect(strategicMergeSchemaFor('v1', 'ConfigMap')?.fields?.metadata?.fields?.ownerReferences?.patchMergeKey).toBe(
      'uid',
    );
    expect(strategicMergeSchemaFor('example.dev/v1', 'Website')).toBeUndefined();
  });

  it('merges node status conditions by type', () => {
    const node = {
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'MemoryPressure', status: 'False' },
        ],
      },
    };
    const patched = applyStrategicMergePatch(
      node,
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      strategicMergeSchemaFor('v1', 'Node'),
    );
    expect(patched).toEqual({
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'MemoryPressure', status: 'False' },
        ],
      },
    });
  });
});
