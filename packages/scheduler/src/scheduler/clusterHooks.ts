/**
 * What the default plugins need from the cluster beyond nodes and pods,
 * served from informers: namespace labels (InterPodAffinity's
 * `namespaceSelector`) and, as Kubernetes' `DefaultSelector`, the selectors of
 * the Services and ReplicaSets that select a pod (PodTopologySpread's default
 * constraints). Services and ReplicaSets are indexed by one label their
 * selector requires, so a pod reads only those that could select it.
 */
import { Namespace, type Pod, ReplicaSet, Service } from '@keelson/api';
import { createInformer, type Informer } from '@keelson/controller';
import { type LabelSelector, type LabelSelectorRequirement, parseLabelSelector, type Store } from '@keelson/core';
import { candidatesFor, SELECTOR_INDEX, selectorIndexer } from './selectorIndex';

/** Parsed ReplicaSet selectors: cached objects are frozen, so each is parsed once. */
const parsedSelectors = new WeakMap<ReplicaSet, LabelSelector>();

function selectorOf(replicaSet: ReplicaSet): LabelSelector {
  let parsed = parsedSelectors.get(replicaSet);
  if (parsed === undefined) {
    parsed = parseLabelSelector(replicaSet.spec.selector);
    parsedSelectors.set(replicaSet, parsed);
  }
  return parsed;
}

export class ClusterHooks {
  readonly #namespaces: Informer<Namespace>;
  readonly #services: Informer<Service>;
  readonly #replicaSets: Informer<ReplicaSet>;

  constructor(store: Store) {
    this.#namespaces = createInformer(store, Namespace);
    this.#services = createInformer(store, Service, {
      indexers: { [SELECTOR_INDEX]: selectorIndexer((service: Service) => service.spec.selector) },
    });
    this.#replicaSets = createInformer(store, ReplicaSet, {
      indexers: { [SELECTOR_INDEX]: selectorIndexer((rs: ReplicaSet) => rs.spec.selector.matchLabels) },
    });
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
    let found = 0;
    let only: LabelSelector | undefined;
    for (const service of candidatesFor(this.#services, namespace, labels)) {
      const selector = service.spec.selector;
      if (selector === undefined || Object.keys(selector).length === 0) continue;
      if (!Object.entries(selector).every(([key, value]) => labels[key] === value)) continue;
      Object.assign(matchLabels, selector);
      found++;
    }
    for (const replicaSet of candidatesFor(this.#replicaSets, namespace, labels)) {
      const selector = replicaSet.spec.selector;
      const parsed = selectorOf(replicaSet);
      if (!parsed.matches(labels)) continue;
      Object.assign(matchLabels, selector.matchLabels ?? {});
      matchExpressions.push(...((selector.matchExpressions ?? []) as LabelSelectorRequirement[]));
      found++;
      only = parsed;
    }
    if (found === 0) return undefined;
    // One ReplicaSet alone: its own selector is the AND, and the same object for all its pods.
    if (found === 1 && only !== undefined) return only;
    return parseLabelSelector({ matchLabels, matchExpressions });
  };
}
