/** What the end-to-end tests share: clusters closed after each test, and pod predicates. */
import { getCondition, type Pod } from '@keelson/api';
import { afterEach } from 'vitest';
import { createTestCluster, type TestCluster } from '../src/index';

/** A `createTestCluster` whose clusters are closed after each test of the file. */
export function clustersClosedAfterEach(): (options: Parameters<typeof createTestCluster>[0]) => Promise<TestCluster> {
  const clusters: TestCluster[] = [];
  afterEach(async () => {
    for (const c of clusters.splice(0)) await c.close();
  });
  return async (options) => {
    const c = await createTestCluster(options);
    clusters.push(c);
    return c;
  };
}

export const isReady = (p: Pod) => getCondition(p.status?.conditions, 'Ready')?.status === 'True';
export const live = (pods: readonly Pod[]) => pods.filter((p) => p.metadata.deletionTimestamp === undefined);

/** What {@link webAutoscaled} varies between the autoscaling tests. */
export interface WebAutoscaledOptions {
  /** The HPA's maxReplicas (minReplicas is 2, like the Deployment's replicas). */
  maxReplicas: number;
  /** CPU request of the one container, in millicores (default 500). */
  requestMillicores?: number;
  /** The HPA's averageUtilization target, in % (default 50). */
  targetUtilization?: number;
  /** `http`: an HTTP readiness probe every second on a named port; `tcp`: a TCP probe every 5 s. */
  probe?: 'http' | 'tcp';
  /** Adds a Service `web` over the pods' `http` port, between the Deployment and the HPA. */
  service?: boolean;
  /** YAML lines appended to the HPA's spec (e.g. a `behavior:` block, indented two spaces). */
  hpaSpec?: string;
}

/**
 * The manifests of a Deployment `web` (2 replicas of `web:1`, label `app=web`) and a CPU
 * HorizontalPodAutoscaler on it, as `---`-separated YAML for `cluster.apply`.
 */
export function webAutoscaled(options: WebAutoscaledOptions): string {
  const { maxReplicas, requestMillicores = 500, targetUtilization = 50, probe = 'http', service = false } = options;
  const readiness =
    probe === 'http'
      ? `ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: http }, periodSeconds: 1 }`
      : 'readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 }';
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: 'web:1'
          resources: { requests: { cpu: ${requestMillicores}m } }
          ${readiness}`;
  const svc = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]`;
  const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: ${maxReplicas}
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: ${targetUtilization} } } }]
${options.hpaSpec ?? ''}`;
  return [deployment, ...(service ? [svc] : []), hpa].join('\n---\n');
}
