import type { InputOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { LIVENESS_POD } from '../../test/documentationExamples';
import { Pod } from './pod';
import { builtinStore, issuePaths, manifest } from './testStore';

type PodInput = InputOf<typeof Pod>;

const pod = (name: string, spec: Partial<PodInput['spec']> = {}): PodInput => ({
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec },
});

describe('Pod defaults', () => {
  it('applies the pod spec, container and probe defaults on create', async () => {
    const { store } = await builtinStore();
    const created = await store.create(
      Pod,
      pod('web', {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.25',
            ports: [{ containerPort: 80 }],
            readinessProbe: { tcpSocket: { port: 80 } },
          },
        ],
      }),
    );
    expect(created.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
    });
    expect(created.spec.containers[0]).toEqual({
      name: 'app',
      image: 'nginx:1.25',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      readinessProbe: {
        tcpSocket: { port: 80 },
        initialDelaySeconds: 0,
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      },
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/team/app', 'Always'],
    ['localhost:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ])('defaults imagePullPolicy of %s to %s', async (image, policy) => {
    const { store } = await builtinStore();
    const created = await store.create(Pod, pod('p', { containers: [{ name: 'app', image }] }));
    expect(created.spec.containers[0]?.imagePullPolicy).toBe(policy);
  });

  it('keeps an explicit imagePullPolicy and sidecar restartPolicy', async () => {
    const { store } = await builtinStore();
    const created = await store.create(
      Pod,
      pod('p', {
        initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', imagePullPolicy: 'Never' }],
      }),
    );
    expect(created.spec.initContainers?.[0]).toMatchObject({ restartPolicy: 'Always', imagePullPolicy: 'Never' });
  });

  it('defaults requests to limits, canonicalises quantities and ignores client status', async () => {
    const { store } = await builtinStore();
    const created = await store.create(Pod, {
      ...pod('p', {
        containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: 0.5, memory: '1024Mi' } } }],
      }),
      status: { phase: 'Running', podIP: '10.0.0.1' },
    });
    expect(created.spec.containers[0]?.resources).toEqual({
      limits: { cpu: '500m', memory: '1Gi' },
      requests: { cpu: '500m', memory: '1Gi' },
    });
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });
});

describe('Pod documentation examples', () => {
  it('accepts the liveness probe examples of "Configure Liveness, Readiness and Startup Probes"', async () => {
    const { store, warnings } = await builtinStore();
    const exec = await store.create(Pod, manifest<PodInput>(LIVENESS_POD));
    expect(exec.spec.containers[0]?.livenessProbe).toEqual({
      exec: { command: ['cat', '/tmp/healthy'] },
      initialDelaySeconds: 5,
      periodSeconds: 5,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    const http = await store.create(
      Pod,
      manifest<PodInput>(`
apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-http
  namespace: default
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    args:
    - liveness
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
        httpHeaders:
        - name: Custom-Header
          value: Awesome
      initialDelaySeconds: 3
      periodSeconds: 3
`),
    );
    expect(http.spec.containers[0]?.livenessProbe?.httpGet).toEqual({
      path: '/healthz',
      port: 8080,
      scheme: 'HTTP',
      httpHeaders: [{ name: 'Custom-Header', value: 'Awesome' }],
    });
    const named = await store.create(
      Pod,
      manifest<PodInput>(`
apiVersion: v1
kind: Pod
metadata:
  name: goproxy
  namespace: default
  labels:
    app: goproxy
spec:
  containers:
  - name: goproxy
    image: registry.k8s.io/goproxy:0.1
    ports:
    - name: liveness-port
      containerPort: 8080
    readinessProbe:
      tcpSocket:
        port: liveness-port
      initialDelaySeconds: 15
      periodSeconds: 10
    livenessProbe:
      tcpSocket:
        port: liveness-port
      initialDelaySeconds: 15
      periodSeconds: 10
    startupProbe:
      grpc:
        port: 2379
      failureThreshold: 30
      periodSeconds: 10
`),
    );
    expect(named.spec.containers[0]?.startupProbe).toMatchObject({ grpc: { port: 2379 }, failureThreshold: 30 });
    expect(warnings).toEqual([]);
  });
});

describe('Pod validation', () => {
  it('names the field path of an invalid quantity', async () => {
    const { store } = await builtinStore();
    const bad = pod('p', {
      containers: [
        { name: 'app', image: 'nginx', resources: { requests: { cpu: 'lots' }, limits: { memory: '1Qi' } } },
      ],
    });
    expect(await issuePaths(store.create(Pod, bad))).toEqual([
      'spec.containers[0].resources.limits.memory',
      'spec.containers[0].resources.requests.cpu',
    ]);
  });

  it('rejects negative quantities and requests above limits', async () => {
    const { store } = await builtinStore();
    const negative = pod('p', {
      containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '-1' } } }],
    });
    expect(await issuePaths(store.create(Pod, negative))).toEqual(['spec.containers[0].resources.requests.cpu']);
    const above = pod('p', {
      containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }],
    });
    expect(await issuePaths(store.create(Pod, above))).toEqual(['spec.containers[0].resources.requests.cpu']);
  });

  it('requires a container, unique names, one probe handler and a single success for liveness', async () => {
    const { store } = await builtinStore();
    expect(await issuePaths(store.create(Pod, pod('p', { containers: [] })))).toEqual(['spec.containers']);
    const duplicate = pod('p', {
      initContainers: [{ name: 'app', image: 'busybox' }],
      containers: [{ name: 'app', image: 'nginx' }],
    });
    expect(await issuePaths(store.create(Pod, duplicate))).toEqual(['spec.containers[0].name']);
    const probes = pod('p', {
      containers: [
        {
          name: 'app',
          image: 'nginx',
          livenessProbe: { successThreshold: 2, tcpSocket: { port: 80 } },
          readinessProbe: {},
          startupProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } },
        },
      ],
    });
    expect(await issuePaths(store.create(Pod, probes))).toEqual([
      'spec.containers[0].livenessProbe.successThreshold',
      'spec.containers[0].readinessProbe',
      'spec.containers[0].startupProbe.tcpSocket',
    ]);
    const liveness = pod('p', {
      containers: [{ name: 'app', image: 'nginx', livenessProbe: { successThreshold: 2, tcpSocket: { port: 80 } } }],
    });
    expect(await issuePaths(store.create(Pod, liveness))).toEqual([
      'spec.containers[0].livenessProbe.successThreshold',
    ]);
  });

  it('checks tolerations and the restart policy of regular containers', async () => {
    const { store } = await builtinStore();
    const bad = pod('p', {
      containers: [{ name: 'app', image: 'nginx', restartPolicy: 'Always' }],
      tolerations: [
        { key: 'k', operator: 'Exists', value: 'v' },
        { tolerationSeconds: 5, operator: 'Exists' },
      ],
    });
    expect(await issuePaths(store.create(Pod, bad))).toEqual([
      'spec.containers[0].restartPolicy',
      'spec.tolerations[0].value',
      'spec.tolerations[1].effect',
    ]);
  });

  it('reports unknown fields as warnings and drops them', async () => {
    const { store, warnings } = await builtinStore();
    const input = { ...pod('p'), spec: { containers: [{ name: 'app', image: 'nginx', colour: 'blue' }] } };
    const created = await store.create(Pod, input as PodInput);
    expect(warnings).toEqual(['unknown field "spec.containers[0].colour"']);
    expect(created.spec.containers[0]).not.toHaveProperty('colour');
  });
});

describe('Pod field selectors', () => {
  it('selects by spec.nodeName (unbound is empty), status.phase, schedulerName and restartPolicy', async () => {
    const { store } = await builtinStore();
    await store.create(Pod, pod('unbound'));
    await store.create(Pod, pod('bound', { nodeName: 'node-1', restartPolicy: 'Never', schedulerName: 'custom' }));
    const names = async (fieldSelector: string) =>
      (await store.list(Pod, { fieldSelector })).items.map((p) => p.metadata.name);
    expect(await names('spec.nodeName=')).toEqual(['unbound']);
    expect(await names('spec.nodeName=node-1')).toEqual(['bound']);
    expect(await names('status.phase=Pending')).toEqual(['bound', 'unbound']);
    expect(await names('spec.schedulerName=default-scheduler')).toEqual(['unbound']);
    expect(await names('spec.restartPolicy=Never')).toEqual(['bound']);
  });
});
