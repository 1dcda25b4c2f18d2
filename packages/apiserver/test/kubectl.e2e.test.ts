import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlWatch } from './kubectl';
import { type KubectlCluster, kubectlCluster } from './kubectlCluster';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
  - port: 80
    targetPort: 80
`;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: websites.example.dev
spec:
  group: example.dev
  scope: Namespaced
  names: { plural: websites, singular: website, kind: Website, shortNames: [ws] }
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [image]
            properties:
              image: { type: string }
              replicas: { type: integer, minimum: 1, default: 1 }
    additionalPrinterColumns:
    - { name: Image, type: string, jsonPath: .spec.image }
    - { name: Replicas, type: integer, jsonPath: .spec.replicas }
    - { name: Age, type: date, jsonPath: .metadata.creationTimestamp }
`;

const WEBSITE = `apiVersion: example.dev/v1
kind: Website
metadata:
  name: shop
spec:
  image: nginx:1.27
  replicas: 2
`;

const GATED = `apiVersion: v1
kind: Pod
metadata:
  name: gated
spec:
  schedulingGates:
  - name: example.com/quota
  containers:
  - name: web
    image: nginx:1.27
`;

const images = {
  'nginx:1.27': { behaviour: { logs: [{ atMs: 0, line: 'nginx 1.27 ready' }] } },
  'nginx:1.28': { behaviour: { logs: [{ atMs: 0, line: 'nginx 1.28 ready' }] } },
};

let k: KubectlCluster;
beforeAll(async () => {
  // Nobody may delete a namespace: the server's authorizer says so, for the Forbidden case.
  k = await kubectlCluster({ images, authorize: (a) => !(a.verb === 'delete' && a.resource === 'namespaces') });
}, 60_000);
afterAll(async () => {
  await k?.close();
});

const podNames = async (selector = 'app=web') =>
  (await k.ok(['get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);

describe('kubectl v1.32 against a Keelson cluster', { timeout: 60_000 }, () => {
  it('lists the nodes', async () => {
    const out = await k.ok(['get', 'nodes']);
    expect(out).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    for (const node of ['node-1', 'node-2', 'node-3']) expect(out).toMatch(new RegExp(`${node}\\s+Ready`));
  });

  it('applies a Deployment and a Service with validation, and rolls out', async () => {
    const out = await k.ok(['apply', '-f', '-'], APP);
    expect(out).toContain('deployment.apps/web created');
    expect(out).toContain('service/web created');
    expect(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s'])).toContain(
      'deployment "web" successfully rolled out',
    );
    const wide = await k.ok(['get', 'pods', '-o', 'wide']);
    expect(wide).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    const rows = wide.trim().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/web-\S+\s+1\/1\s+Running\s+0\s+\S+\s+10\.\S+\s+node-\d/);
    expect(await k.ok(['apply', '-f', '-'], APP)).toContain('deployment.apps/web unchanged');
  });

  it('scales, updates the image and rolls back', async () => {
    expect(await k.ok(['scale', 'deployment/web', '--replicas=4'])).toContain('deployment.apps/web scaled');
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}'])).toBe('4');
    expect(await k.ok(['set', 'image', 'deployment/web', 'web=nginx:1.28'])).toContain(
      'deployment.apps/web image updated',
    );
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const undo = await k.run(['rollout', 'undo', 'deployment/web']);
    expect(undo.stdout).toContain('deployment.apps/web rolled back');
    expect(undo.stderr).toBe('');
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const image = '{.spec.template.spec.containers[0].image}';
    expect(await k.ok(['get', 'deployment', 'web', '-o', `jsonpath=${image}`])).toBe('nginx:1.27');
  });

  it('labels, annotates and patches', async () => {
    const [pod] = await podNames();
    expect(await k.ok(['label', 'pod', pod as string, 'tier=front'])).toContain(`pod/${pod} labeled`);
    expect(await podNames('tier=front')).toEqual([pod]);
    expect(await k.ok(['annotate', 'deployment', 'web', 'team=checkout'])).toContain('deployment.apps/web annotated');
    const patch = '[{"op":"replace","path":"/spec/replicas","value":2}]';
    expect(await k.ok(['patch', 'deployment', 'web', '--type=json', '-p', patch])).toContain(
      'deployment.apps/web patched',
    );
    expect(
      await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.team} {.spec.replicas}']),
    ).toBe('checkout 2');
  });

  it('applies server-side, reporting conflicts with another manager, and diffs', async () => {
    const conflict = await k.run(['apply', '--server-side', '-f', '-'], APP);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('conflict with "kubectl-patch"');
    expect(conflict.stderr).toContain('.spec.replicas');
    const forced = await k.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], APP);
    expect(forced).toContain('deployment.apps/web serverside-applied');
    expect((await k.run(['diff', '-f', '-'], APP)).code).toBe(0);
    const changed = await k.run(['diff', '-f', '-'], APP.replace('replicas: 3', 'replicas: 5'));
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+replicas: 3$/m);
    expect(changed.stdout).toMatch(/^\+\s+replicas: 5$/m);
    expect(await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
  });

  it('watches a deleted pod terminate and its replacement start', async () => {
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const [victim] = await podNames();
    const watch = await kubectlWatch(['get', 'pods', '-w'], { kubeconfig: k.kubeconfig });
    try {
      await watch.waitForOutput(new RegExp(`${victim}\\s+1/1\\s+Running`), 10_000);
      expect(await k.ok(['delete', 'pod', victim as string])).toContain(`pod "${victim}" deleted`);
      await watch.waitForOutput(new RegExp(`${victim}\\s+\\S+\\s+Terminating`), 10_000);
    } finally {
      await watch.stop();
    }
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const now = await podNames();
    expect(now).toHaveLength(3);
    expect(now).not.toContain(victim);
  });

  it('shows logs and describes', async () => {
    const [pod] = await podNames();
    expect(await k.ok(['logs', pod as string])).toBe('nginx 1.27 ready\n');
    const described = await k.ok(['describe', 'deployment', 'web']);
    expect(described).toMatch(/^Name:\s+web$/m);
    expect(described).toMatch(/^Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$/m);
    expect(described).toContain('ScalingReplicaSet');
  });

  it('drains a node until a disruption budget blocks it', async () => {
    await k.ok(
      ['create', '-f', '-'],
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 3\n  selector:\n    matchLabels: { app: web }\n',
    );
    const wide = await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].spec.nodeName}']);
    const drain = await k.run(['drain', wide, '--ignore-daemonsets', '--timeout=3s']);
    expect(drain.code).not.toBe(0);
    expect(drain.stdout + drain.stderr).toContain(`node/${wide} cordoned`);
    expect(drain.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget");
    expect(await k.ok(['get', 'node', wide, '-o', 'jsonpath={.spec.unschedulable}'])).toBe('true');
    await k.ok(['uncordon', wide]);
  });

  it('shows a gated pod as SchedulingGated, refuses adding a gate, and runs it once the gate is removed', async () => {
    expect(await k.ok(['apply', '-f', '-'], GATED)).toContain('pod/gated created');
    expect(await k.ok(['get', 'pod', 'gated'])).toMatch(/^gated\s+0\/1\s+SchedulingGated\s+0\s+\S+$/m);
    const add = '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"example.com/late"}}]';
    const refused = await k.run(['patch', 'pod', 'gated', '--type=json', '-p', add]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("only deletion is allowed, but found new scheduling gate 'example.com/late'");
    const remove = '[{"op":"remove","path":"/spec/schedulingGates"}]';
    expect(await k.ok(['patch', 'pod', 'gated', '--type=json', '-p', remove])).toContain('pod/gated patched');
    await k.ok(['wait', '--for=condition=Ready', 'pod/gated', '--timeout=30s']);
    expect(await k.ok(['get', 'pod', 'gated'])).toMatch(/^gated\s+1\/1\s+Running\s+0\s+\S+$/m);
    expect(await k.ok(['delete', 'pod', 'gated'])).toContain('deleted');
  });

  it('applies a CustomResourceDefinition, then custom objects it validates and prints', async () => {
    expect(await k.ok(['apply', '-f', '-'], CRD)).toContain(
      'customresourcedefinition.apiextensions.k8s.io/websites.example.dev created',
    );
    await k.ok(['wait', '--for=condition=Established', 'crd/websites.example.dev', '--timeout=10s']);
    expect(await k.ok(['apply', '-f', '-'], WEBSITE)).toContain('website.example.dev/shop created');
    const table = await k.ok(['get', 'websites']);
    expect(table).toMatch(/^NAME\s+IMAGE\s+REPLICAS\s+AGE$/m);
    expect(table).toMatch(/^shop\s+nginx:1\.27\s+2\s+\S+$/m);
    expect(await k.ok(['get', 'ws', 'shop', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    const bad = await k.run(['apply', '-f', '-'], WEBSITE.replace('replicas: 2', 'replicas: many'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.replicas');
    expect(await k.ok(['delete', 'crd', 'websites.example.dev'])).toContain('deleted');
    const gone = await k.run(['get', 'websites']);
    expect(gone.code).toBe(1);
    // kubectl's discovery cache may still know the kind; either way the server has none left.
    expect(gone.stderr).toMatch(/doesn't have a resource type "websites"|NotFound/);
  });

  it('answers auth can-i and refuses exec with a clear error', async () => {
    expect((await k.ok(['auth', 'can-i', 'create', 'pods'])).trim()).toBe('yes');
    const cannot = await k.run(['auth', 'can-i', 'delete', 'namespaces']);
    expect(cannot.stdout.trim()).toBe('no');
    const forbidden = await k.run(['delete', 'namespace', 'default']);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain(
      'Error from server (Forbidden): namespaces "default" is forbidden: User "admin" cannot delete resource "namespaces" in API group "" at the cluster scope',
    );
    expect(await k.ok(['get', 'namespace', 'default', '-o', 'jsonpath={.status.phase}'])).toBe('Active');
    const [pod] = await podNames();
    const exec = await k.run(['exec', pod as string, '--', 'ls']);
    expect(exec.code).not.toBe(0);
    expect(exec.stderr).toContain('pods/exec is not supported by Keelson');
  });
});
