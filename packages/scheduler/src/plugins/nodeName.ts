/**
 * NodeName: a pod that names a node in `spec.nodeName` fits only that node.
 * As upstream, there is no PreFilter narrowing the nodes (Kubernetes only
 * adds one behind an alpha gate for deferred in-place resizes); the Filter
 * alone rejects the other nodes.
 */
import { unresolvable } from '../framework/status';
import type { PluginFactory } from '../framework/types';
import { rejectArgs } from './args';

export const NODE_NAME = 'NodeName';

/** Kubernetes' reason for a node other than the one the pod names. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

const REJECTED = unresolvable(ERR_REASON_NODE_NAME);

/** The NodeName plugin (Filter); rejections are UnschedulableAndUnresolvable. */
export const nodeName: PluginFactory = (args) => {
  rejectArgs(NODE_NAME, args);
  return {
    name: NODE_NAME,
    // The named node appearing (or changing).
    events: ['NodeAdd', 'NodeUpdate'],
    filter(_state, pod, node) {
      const wanted = pod.pod.spec.nodeName;
      return !wanted || wanted === node.name ? undefined : REJECTED;
    },
  };
};
