/**
 * What the default plugins need from the cluster beyond nodes and pods,
 * served from informers: namespace labels (InterPodAffinity's
 * `namespaceSelector`) and, as Kubernetes' `DefaultSelector`, the selectors of
 * the Services and ReplicaSets that select a pod (PodTopologySpread's default
 * constraints).
 */
import { Namespace, type Pod, ReplicaSet, Service } from '@keelson/api';
import { createInformer, type Informer } from '@keelson/controller';
import { type LabelSelector, type LabelSelectorRequirement, parseLabelSelector, type Store } from '@keelson/core';

const byNamespace = { byNamespace: (o: { metadata: { namespace?: string } }) => [o.metadata.namespace ?? ''] };

export class ClusterHooks {
  readonly #namespaces: Informer<Namespace>;
  readonly #services: Informer<Service>;
  readonly #replicaSets: Informer<ReplicaSet>;

  constructor(store: Store) {
    this.#namespaces = createInformer(store, Namespace);
    this.#services = createInformer(store, Service, { indexers: byNamespace });
    this.#replicaSets = createInformer(store, ReplicaSet, { indexers: byNamespace });
  }

  async start(): Promise<void> {
    const informers = [this.#namespaces, this.#services, this.#replicaSets];
    for (const informer of informers) informer.start();
    await Promise.all(informers.map((informer) => informer.waitForSync()));
  }

  stop(): void {
    for (const informer of [this.#namespaces, this.#services, this.#replicaSets]) informer.stop();
  }

  /** A namespace's labels, or `undefined` when it is not known. */
  readonly namespaceLabels = (namespace: string): Readonly<Record<string, string>> | undefined => {
    const found = this.#namespaces.get(namespace);
    return found === undefined ? undefined : (found.metadata.labels ?? {});
  };

  /**
   * Kubernetes' `DefaultSelector`: the selectors of the Services and
   * ReplicaSets in the pod's namespace that select it, ANDed; `undefined` when
   * none does.
   */
  readonly defaultSelector = (pod: Pod): LabelSelector | undefined => {
    const namespace = pod.metadata.namespace ?? '';
    const labels = pod.metadata.labels ?? {};
    const matchLabels: Record<string, string> = {};
    const matchExpressions: LabelSelectorRequirement[] = [];
    let found = false;
    for (const service of this.#services.byIndex('byNamespace', namespace)) {
      const selector = service.spec.selector;
      if (selector === undefined || Object.keys(selector).length === 0) continue;
      if (!Object.entries(selector).every(([key, value]) => labels[key] === value)) continue;
      Object.assign(matchLabels, selector);
      found = true;
    }
    for (const replicaSet of this.#replicaSets.byIndex('byNamespace', namespace)) {
      const selector = replicaSet.spec.selector;
      if (!parseLabelSelector(selector).matches(labels)) continue;
      Object.assign(matchLabels, selector.matchLabels ?? {});
      matchExpressions.push(...((selector.matchExpressions ?? []) as LabelSelectorRequirement[]));
      found = true;
    }
    return found ? parseLabelSelector({ matchLabels, matchExpressions }) : undefined;
  };
}
