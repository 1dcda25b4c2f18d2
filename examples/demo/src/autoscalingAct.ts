/**
 * The story's autoscaling act: a Service's load spikes, the autoscaler
 * scales its Deployment out as Kubernetes computes it, each pod's CPU falls
 * as the load spreads, and after the load drops and the 5-minute
 * stabilization window passes it scales back in.
 */
import { Deployment, HorizontalPodAutoscaler } from '@keelson/api';
import { stepLoad, type TestCluster } from '@keelson/testing';

const API = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.0
          resources: { requests: { cpu: 500m } }
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: http }, periodSeconds: 2 }
---
apiVersion: v1
kind: Service
metadata: { name: api }
spec:
  selector: { app: api }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: api }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 2
  maxReplicas: 8
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } } }]
`;

/** What the act saw. */
export interface AutoscalingResult {
  /** The Deployment's replica counts, in order of change. */
  replicas: number[];
  /** The highest CPU (millicores) a pod was seen using: the spike on 2 pods. */
  peakCpuPerPod: number;
  /** Each pod's CPU once scaled out, the spike still on. */
  cpuScaledOut: number[];
}

/** Runs the act on `cluster`, telling it through `say`. */
export async function autoscalingAct(cluster: TestCluster, say: (text: string) => void): Promise<AutoscalingResult> {
  await cluster.apply(API);
  say('applied deployment api (2 replicas, 500m CPU requested each), service api, and an autoscaler: 50 % CPU, 2–8');
  const load = await cluster.load(
    'api',
    stepLoad([
      { at: 0, rps: 20 },
      { at: '1m', rps: 300 },
      { at: '5m', rps: 20 },
    ]),
    { costPerRequestMillicores: 5 },
  );
  say('load on service api: 20 req/s, then 300 req/s for 4 minutes from a minute on; each request/s costs 5m of CPU');
  const replicas: number[] = [];
  let peakCpuPerPod = 0;
  let cpuScaledOut: number[] = [];
  let last = '';
  for (let step = 0; step < 144; step++) {
    await cluster.advance('5s');
    const count = (await cluster.get(Deployment, 'api', 'default')).spec.replicas;
    if (replicas.at(-1) !== count) replicas.push(count);
    const cpu = cluster.metrics
      .pods('default')
      .filter((p) => p.name.startsWith('api-'))
      .map((p) => p.containers[0]?.cpu ?? 0);
    peakCpuPerPod = Math.max(peakCpuPerPod, ...cpu);
    if (load.rate() === 300 && count === Math.max(...replicas) && cpu.length === count) cpuScaledOut = cpu;
    const hpa = await cluster.get(HorizontalPodAutoscaler, 'api', 'default');
    const utilization = hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization;
    const perPod = cpu.length === 0 ? 'no metrics yet' : cpu.map((m) => `${m}m`).join(' ');
    const seen = utilization === undefined ? '' : ` (autoscaler saw ${utilization} % of request)`;
    const line = `${load.rate()} req/s, replicas ${count}, CPU per pod: ${perPod}${seen}`;
    if (line !== last) say(line);
    last = line;
  }
  load.stop();
  say(`replicas went ${replicas.join(' → ')}; the scale-in waited out the 5-minute stabilization window`);
  return { replicas, peakCpuPerPod, cpuScaledOut };
}
