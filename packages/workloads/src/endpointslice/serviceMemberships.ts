/**
 * Which pods and nodes each Service's last sync looked at, so that a pod
 * event also reaches the Services it used to belong to (its old labels) and
 * a node event reaches the Services with pods on that node.
 */

/** An index from pods and nodes to the Services (`namespace/name`) whose endpoints they feed. */
export class ServiceMemberships {
  private readonly byService = new Map<string, { pods: string[]; nodes: string[] }>();
  private readonly byPod = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();

  /** Records what a Service's sync selected (pod keys `namespace/name`, node names). */
  set(serviceKey: string, pods: readonly string[], nodes: readonly string[]): void {
    this.remove(serviceKey);
    const distinctNodes = [...new Set(nodes)];
    this.byService.set(serviceKey, { pods: [...pods], nodes: distinctNodes });
    for (const pod of pods) add(this.byPod, pod, serviceKey);
    for (const node of distinctNodes) add(this.byNode, node, serviceKey);
  }

  /** Forgets a Service. */
  remove(serviceKey: string): void {
    const known = this.byService.get(serviceKey);
    if (!known) return;
    this.byService.delete(serviceKey);
    for (const pod of known.pods) drop(this.byPod, pod, serviceKey);
    for (const node of known.nodes) drop(this.byNode, node, serviceKey);
  }

  /** Services whose last sync selected the pod. */
  servicesOfPod(podKey: string): string[] {
    return [...(this.byPod.get(podKey) ?? [])];
  }

  /** Services whose last sync selected a pod on the node. */
  servicesOnNode(node: string): string[] {
    return [...(this.byNode.get(node) ?? [])];
  }
}

function add(index: Map<string, Set<string>>, key: string, serviceKey: string): void {
  let services = index.get(key);
  if (!services) {
    services = new Set();
    index.set(key, services);
  }
  services.add(serviceKey);
}

function drop(index: Map<string, Set<string>>, key: string, serviceKey: string): void {
  const services = index.get(key);
  services?.delete(serviceKey);
  if (services?.size === 0) index.delete(key);
}
