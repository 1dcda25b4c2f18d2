import type { InputOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { SERVICE } from '../../test/documentationExamples';
import { Event } from './event';
import { Namespace } from './namespace';
import { Node } from './node';
import { Service } from './service';
import { builtinStore, issuePaths, issuesOf, manifest } from './testStore';

describe('Namespace', () => {
  it('starts Active whatever the client sends, labelled with its name', async () => {
    const { store } = await builtinStore();
    const ns = await store.create(Namespace, {
      metadata: { name: 'shop' },
      spec: {},
      status: { phase: 'Terminating' },
    });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.spec).toEqual({});
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'shop' });
    expect(ns.metadata.namespace).toBeUndefined();
    const updated = await store.update({ ...ns, metadata: { ...ns.metadata, labels: { team: 'a' } } });
    expect(updated.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'shop' });
    expect((await store.list(Namespace, { fieldSelector: 'status.phase=Active' })).items).toHaveLength(1);
  });

  it('accepts a manifest without spec, and names must be DNS labels', async () => {
    const { store } = await builtinStore();
    const ns = await store.create(Namespace, manifest<InputOf<typeof Namespace>>('metadata: {name: dev}'));
    expect(ns.spec).toEqual({});
    expect(await issuePaths(store.create(Namespace, { metadata: { name: 'a.b' }, spec: {} }))).toEqual([
      'metadata.name',
    ]);
  });
});

describe('Node', () => {
  it('accepts the documentation example and defaults allocatable to capacity', async () => {
    const { store, warnings } = await builtinStore();
    const node = await store.create(
      Node,
      manifest<InputOf<typeof Node>>(
        '{"kind": "Node", "apiVersion": "v1", "metadata": {"name": "10.240.79.157", "labels": {"name": "my-first-k8s-node"}}}',
      ),
    );
    expect(node.spec).toEqual({});
    expect(warnings).toEqual([]);
    const withStatus = await store.create(Node, {
      metadata: { name: 'node-1' },
      spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], unschedulable: true },
      status: {
        capacity: { cpu: 4, memory: '16Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '1970-01-01T00:00:00Z' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
        nodeInfo: { kubeletVersion: 'v1.31.0', architecture: 'amd64' },
      },
    });
    expect(withStatus.status?.allocatable).toEqual({ cpu: '4', memory: '16Gi', pods: '110' });
    expect(
      (await store.list(Node, { fieldSelector: 'spec.unschedulable=true' })).items.map((n) => n.metadata.name),
    ).toEqual(['node-1']);
  });

  it('rejects invalid quantities and taint effects, naming the field', async () => {
    const { store } = await builtinStore();
    const issues = await issuesOf(
      store.create(Node, {
        metadata: { name: 'node-1' },
        spec: { taints: [{ key: 'k', effect: 'NoWay' as 'NoSchedule' }] },
        status: { capacity: { cpu: '4 cores' }, allocatable: { memory: '1Gx' } },
      }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual([
      'spec.taints[0].effect',
      'status.allocatable.memory',
      'status.capacity.cpu',
    ]);
    expect(issues.find((i) => i.path === 'status.capacity.cpu')?.message).toContain('"4 cores"');
  });
});

describe('Service', () => {
  it('applies the Service defaults to the documentation example', async () => {
    const { store } = await builtinStore();
    const service = await store.create(Service, manifest<InputOf<typeof Service>>(SERVICE));
    expect(service.spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'MyApp' },
      ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    });
    expect(service.status).toEqual({ loadBalancer: {} });
  });

  it('defaults targetPort to port, protocol to TCP and the external policies by type', async () => {
    const { store } = await builtinStore();
    const service = await store.create(Service, {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        type: 'LoadBalancer',
        sessionAffinity: 'ClientIP',
        ports: [
          { name: 'http', port: 80 },
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
        ],
      },
    });
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 80 },
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
    ]);
    expect(service.spec).toMatchObject({
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
    });
  });

  it('requires named ports when there are several, and DNS-1035 names', async () => {
    const { store } = await builtinStore();
    const unnamed = { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }, { port: 443 }] } };
    expect(await issuePaths(store.create(Service, unnamed))).toEqual(['spec.ports[0].name', 'spec.ports[1].name']);
    const digit = { metadata: { name: '1web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };
    expect(await issuePaths(store.create(Service, digit))).toEqual(['metadata.name']);
    const noPorts = { metadata: { name: 'web', namespace: 'default' }, spec: {} };
    expect(await issuePaths(store.create(Service, noPorts))).toEqual(['spec.ports']);
  });

  it('keeps an assigned clusterIP on update and refuses to change it', async () => {
    const { store } = await builtinStore();
    const created = await store.create(Service, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { clusterIP: '10.96.0.10', ports: [{ port: 80 }] },
    });
    const { clusterIP: _dropped, ...spec } = created.spec;
    const kept: Service = await store.update({ ...created, spec: { ...spec, selector: { app: 'web' } } });
    expect(kept.spec.clusterIP).toBe('10.96.0.10');
    expect(await issuePaths(store.update({ ...kept, spec: { ...kept.spec, clusterIP: '10.96.0.11' } }))).toEqual([
      'spec.clusterIP',
    ]);
  });
});

describe('Event', () => {
  it('stores top-level fields, defaults the reporter and selects by involved object', async () => {
    const { store } = await builtinStore();
    const event = await store.create(Event, {
      metadata: { name: 'web.17a', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'v1' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/web to node-1',
      source: { component: 'default-scheduler' },
      firstTimestamp: '1970-01-01T00:00:00Z',
      lastTimestamp: '1970-01-01T00:00:00Z',
      count: 1,
      type: 'Normal',
      eventTime: '1970-01-01T00:00:00.5Z',
    });
    expect(event).toMatchObject({
      reportingComponent: '',
      reportingInstance: '',
      eventTime: '1970-01-01T00:00:00.500000Z',
    });
    expect(event).not.toHaveProperty('spec');
    const selected = await store.list(Event, { fieldSelector: 'involvedObject.name=web,type=Normal,reason=Scheduled' });
    expect(selected.items).toHaveLength(1);
  });

  it('requires the event to live in its object namespace and a known type', async () => {
    const { store } = await builtinStore();
    const elsewhere = {
      metadata: { name: 'e1', namespace: 'other' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
    };
    expect(await issuePaths(store.create(Event, elsewhere))).toEqual(['involvedObject.namespace']);
    const nodeEvent = {
      metadata: { name: 'e2', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'node-1' },
    };
    await expect(store.create(Event, nodeEvent)).resolves.toBeDefined();
    const badType = { ...nodeEvent, metadata: { name: 'e3', namespace: 'default' }, type: 'Fatal' as 'Normal' };
    expect(await issuePaths(store.create(Event, badType))).toEqual(['type']);
  });
});

describe('builtinTypes', () => {
  it('registers every built-in kind under its Kubernetes apiVersion and plural', async () => {
    const { builtinTypes } = await import('../builtinTypes');
    expect(
      builtinTypes.map((t) => `${t.apiVersion} ${t.kind} ${t.plural} ${t.namespaced ? 'namespaced' : 'cluster'}`),
    ).toEqual([
      'v1 Namespace namespaces cluster',
      'v1 Node nodes cluster',
      'v1 Pod pods namespaced',
      'v1 Service services namespaced',
      'v1 Event events namespaced',
      'apps/v1 ReplicaSet replicasets namespaced',
      'apps/v1 Deployment deployments namespaced',
      'apps/v1 DaemonSet daemonsets namespaced',
      'batch/v1 Job jobs namespaced',
      'batch/v1 CronJob cronjobs namespaced',
      'discovery.k8s.io/v1 EndpointSlice endpointslices namespaced',
      'coordination.k8s.io/v1 Lease leases namespaced',
      'policy/v1 PodDisruptionBudget poddisruptionbudgets namespaced',
      'autoscaling/v2 HorizontalPodAutoscaler horizontalpodautoscalers namespaced',
      'v1 ConfigMap configmaps namespaced',
      'v1 Secret secrets namespaced',
      'storage.k8s.io/v1 StorageClass storageclasses cluster',
      'v1 PersistentVolume persistentvolumes cluster',
      'v1 PersistentVolumeClaim persistentvolumeclaims namespaced',
      'apps/v1 StatefulSet statefulsets namespaced',
      'apps/v1 ControllerRevision controllerrevisions namespaced',
    ]);
  });
});
