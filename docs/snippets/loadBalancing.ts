import { builtinAdmission, builtinTypes, type Deployment, ensureSystemNamespaces, Pod, Service } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createManager } from '@keelson/controller';
import { createStore, type InputOf, type Store } from '@keelson/core';
import { KubeletLabel } from '@keelson/cri';
import { createNodeAgent } from '@keelson/node-agent';
import { createImageRegistry, createMockRuntime, type MockRuntime } from '@keelson/runtime-mock';
import {
  createLoadBalancer,
  endpointSliceController,
  type LoadBalancer,
  pickEndpoint,
  type ServiceEndpoint,
} from '@keelson/workloads';

// #region service
/** `web`: port 80 of the Service goes to the port named `http` of each pod labelled `app: web`. */
export const webService = {
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 'http' }],
  },
} satisfies InputOf<typeof Service>;
// #endregion

// #region deployment
/** Three pods of the web app; a pod takes traffic only while `/ready` answers. */
export const webDeployment = {
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'registry.example.com/web:1.0',
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 2 },
          },
        ],
      },
    },
  },
} satisfies InputOf<typeof Deployment>;
// #endregion

/** What {@link startWeb} runs: one node on the mock runtime, the endpoint slice controller, the app's pods. */
export interface WebCluster {
  clock: VirtualClock;
  store: Store;
  runtime: MockRuntime;
  stop(): Promise<void>;
}

/**
 * A one-node cluster running the web app: the pods the Deployment's
 * ReplicaSet would create (bound to the node directly, as no scheduler runs
 * here) on a node agent over the mock runtime.
 */
export async function startWeb(): Promise<WebCluster> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(1, 'store'),
  });
  await ensureSystemNamespaces(store);
  const registry = createImageRegistry();
  registry.add('registry.example.com/web:1.0', { behaviour: { http: (path) => (path === '/ready' ? 200 : 404) } });
  const runtime = createMockRuntime({ clock, registry, seed: 1 });
  const agent = createNodeAgent({
    store,
    runtime,
    images: runtime,
    nodeName: 'node-1',
    clock,
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    labels: { 'topology.kubernetes.io/zone': 'zone-a' },
  });
  await agent.start();

  // #region controller
  const manager = createManager({ store, clock });
  manager.add(endpointSliceController()); // or every workload controller: workloadControllers()
  await manager.start();
  await store.create(Service, webService);
  // #endregion

  const { template } = webDeployment.spec;
  for (let i = 0; i < webDeployment.spec.replicas; i++) {
    await store.create(Pod, {
      metadata: { name: `web-${i}`, namespace: 'default', labels: template.metadata.labels },
      spec: { ...template.spec, nodeName: 'node-1' },
    });
  }
  return {
    clock,
    store,
    runtime,
    async stop() {
      await manager.stop();
      await agent.stop();
    },
  };
}

// #region call
/** Sends one request to a ready pod of `web`; 503 when none is ready, as a proxy without endpoints answers. */
export async function callWeb(lb: LoadBalancer, send: (url: string) => Promise<number>): Promise<number> {
  const target = lb.pick();
  if (target === undefined) return 503;
  try {
    return await send(`http://${target.address}:${target.port}/`);
  } finally {
    target.done(); // ends the request's in-flight count (least-outstanding relies on it)
  }
}
// #endregion

/** The load balancers of the strategies section, each over the same Service. */
export function strategies(store: Store) {
  // #region strategies
  const turns = createLoadBalancer(store, { namespace: 'default', service: 'web' }); // round-robin
  const leastBusy = createLoadBalancer(store, { namespace: 'default', service: 'web', strategy: 'least-outstanding' });
  const seeded = createLoadBalancer(store, {
    namespace: 'default',
    service: 'web',
    strategy: 'random',
    random: createRandom(42, 'web-client'), // the same picks on every run; omit for crypto randomness
  });
  // #endregion
  return { turns, leastBusy, seeded };
}

/** The failure walk-through: a pod that stops answering, then one that shuts down. */
export async function failures(web: WebCluster) {
  const { store, runtime, clock } = web;
  const lb = createLoadBalancer(store, { namespace: 'default', service: 'web', port: 'http' });
  const seen: Array<{ at: number; pods: Array<string | undefined> }> = [];
  const look = () => seen.push({ at: clock.now() - Date.UTC(2026, 0, 1), pods: lb.endpoints().map((e) => e.pod) });

  // #region failure
  await lb.ready(); // resolves with the endpoints ready now: here all three, 30 s in
  look();

  // web-1 stops answering: two failed probes 5 s apart and it is not Ready; its endpoint
  // turns `ready: false` and leaves the rotation. It is not restarted (no liveness probe).
  hang(runtime, 'web-1');
  await clock.advance(15_000);
  look();

  // web-2 is deleted: while it shuts down (its grace period) it is `terminating`, never picked.
  await store.delete(Pod, 'web-2', { namespace: 'default' });
  await clock.advance(0);
  look();

  // A one-off call needs no load balancer: a random ready endpoint, or undefined.
  const one: ServiceEndpoint | undefined = await pickEndpoint(store, { namespace: 'default', service: 'web' });
  // #endregion
  lb.close();
  return { seen, one };
}

/** Makes the pod's (only) container stop answering, through the mock runtime's faults. */
function hang(runtime: MockRuntime, pod: string): void {
  const container = runtime
    .snapshot()
    .containers.find((c) => c.labels[KubeletLabel.PodName] === pod && c.state === 'CONTAINER_RUNNING');
  if (container === undefined) throw new Error(`no running container for pod ${pod}`);
  runtime.faults.hang(container.id);
}
