/**
 * The indexes every shared informer of a manager keeps, and the {@link Cache}
 * reads built on them: a namespace's objects without a walk over every
 * namespace (client-go's `NamespaceIndex`), and the objects one controller
 * owns (Kubernetes' controller-UID index), so that a ReplicaSet's reconcile
 * touches its own pods and the orphans, not every pod, and the pods bound to
 * a node (the `spec.nodeName` index client-go's pod informers keep).
 */
import type { KubeObject, ResourceType } from '@keelson/core';
import type { Cache } from '../controller/defineController';
import type { IndexFunction, Informer } from '../informer/informer';

/** Index name: the object's namespace (cluster-scoped objects are not in it). */
export const NAMESPACE_INDEX = 'namespace';
/** Index name: the uid of the object's controller reference, '' when it has none. */
export const CONTROLLER_UID_INDEX = 'controllerUid';
/** Index name: the object's `spec.nodeName` (pods bound to a node); objects without one are not in it. */
export const NODE_NAME_INDEX = 'nodeName';

function nodeNameOf(object: KubeObject): string[] {
  const nodeName = (object as { spec?: { nodeName?: unknown } }).spec?.nodeName;
  return typeof nodeName === 'string' && nodeName !== '' ? [nodeName] : [];
}

function controllerUid(object: KubeObject): string {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true)?.uid ?? '';
}

/** The indexers of the manager's shared informers. */
export const CACHE_INDEXERS: Readonly<Record<string, IndexFunction<KubeObject>>> = {
  [NAMESPACE_INDEX]: (object) => (object.metadata.namespace === undefined ? [] : [object.metadata.namespace]),
  [CONTROLLER_UID_INDEX]: (object) => [controllerUid(object)],
  [NODE_NAME_INDEX]: nodeNameOf,
};

/** The {@link Cache} reads over the informers `informerFor` finds. */
export function cacheOver(informerFor: (type: ResourceType) => Informer<KubeObject>): Cache {
  return {
    get: (type, objectName, namespace) => informerFor(type).get(objectName, namespace) as never,
    list: (type, options = {}) => {
      const { namespace, labelSelector } = options;
      const informer = informerFor(type);
      if (namespace === undefined) return informer.list(labelSelector) as never;
      const items = informer.byIndex(NAMESPACE_INDEX, namespace);
      return (labelSelector === undefined ? items : informer.filter(items, labelSelector)) as never;
    },
    controlledBy: (type, namespace, uid) => {
      const items = informerFor(type).byIndex(CONTROLLER_UID_INDEX, uid ?? '');
      return items.filter((o) => (o.metadata.namespace ?? '') === (namespace ?? '')) as never;
    },
    onNode: (type, nodeName) => informerFor(type).byIndex(NODE_NAME_INDEX, nodeName) as never,
  };
}
