/**
 * Kubernetes' default plugins, in the order kube-scheduler's default profile
 * enables them (through `multiPoint`, SchedulingGates first), with their score weights:
 * TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1, PodTopologySpread 2,
 * InterPodAffinity 2, NodeResourcesBalancedAllocation 1, ImageLocality 1.
 * VolumeRestrictions, VolumeBinding and VolumeZone sit between
 * NodeResourcesFit and PodTopologySpread, as upstream (VolumeBinding does not
 * score: Kubernetes scores it only with StorageCapacityScoring).
 */
import type { PluginFactory } from '../framework/types';
import { balancedAllocation, NODE_RESOURCES_BALANCED_ALLOCATION } from '../plugins/balancedAllocation';
import { DEFAULT_BINDER, defaultBinder } from '../plugins/defaultBinder';
import { DEFAULT_PREEMPTION, defaultPreemption } from '../plugins/defaultPreemption';
import { IMAGE_LOCALITY, imageLocality } from '../plugins/imageLocality';
import { INTER_POD_AFFINITY, interPodAffinity } from '../plugins/interPodAffinity/plugin';
import { NODE_AFFINITY, nodeAffinity } from '../plugins/nodeAffinity';
import { NODE_NAME, nodeName } from '../plugins/nodeName';
import { NODE_PORTS, nodePorts } from '../plugins/nodePorts';
import { NODE_RESOURCES_FIT, nodeResourcesFit } from '../plugins/nodeResourcesFit';
import { NODE_UNSCHEDULABLE, nodeUnschedulable } from '../plugins/nodeUnschedulable';
import { POD_TOPOLOGY_SPREAD, podTopologySpread } from '../plugins/podTopologySpread/plugin';
import { PRIORITY_SORT, prioritySort } from '../plugins/prioritySort';
import { SCHEDULING_GATES, schedulingGates } from '../plugins/schedulingGates';
import { TAINT_TOLERATION, taintToleration } from '../plugins/taintToleration';
import { VOLUME_BINDING, volumeBinding } from '../plugins/volumes/volumeBinding';
import { VOLUME_RESTRICTIONS, volumeRestrictions } from '../plugins/volumes/volumeRestrictions';
import { VOLUME_ZONE, volumeZone } from '../plugins/volumes/volumeZone';
import type { DefaultPlugin } from './compile';

/** Every in-tree plugin by name. */
export const defaultRegistry: Readonly<Record<string, PluginFactory>> = Object.freeze({
  [SCHEDULING_GATES]: schedulingGates,
  [PRIORITY_SORT]: prioritySort,
  [NODE_UNSCHEDULABLE]: nodeUnschedulable,
  [NODE_NAME]: nodeName,
  [TAINT_TOLERATION]: taintToleration,
  [NODE_AFFINITY]: nodeAffinity,
  [NODE_PORTS]: nodePorts,
  [NODE_RESOURCES_FIT]: nodeResourcesFit,
  [VOLUME_RESTRICTIONS]: volumeRestrictions,
  [VOLUME_BINDING]: volumeBinding,
  [VOLUME_ZONE]: volumeZone,
  [POD_TOPOLOGY_SPREAD]: podTopologySpread,
  [INTER_POD_AFFINITY]: interPodAffinity,
  [DEFAULT_PREEMPTION]: defaultPreemption,
  [NODE_RESOURCES_BALANCED_ALLOCATION]: balancedAllocation,
  [IMAGE_LOCALITY]: imageLocality,
  [DEFAULT_BINDER]: defaultBinder,
});

/** The default profile's plugins (multiPoint), in Kubernetes' order, with score weights. */
export const DEFAULT_PLUGINS: readonly DefaultPlugin[] = Object.freeze([
  { name: SCHEDULING_GATES },
  { name: PRIORITY_SORT },
  { name: NODE_UNSCHEDULABLE },
  { name: NODE_NAME },
  { name: TAINT_TOLERATION, weight: 3 },
  { name: NODE_AFFINITY, weight: 2 },
  { name: NODE_PORTS },
  { name: NODE_RESOURCES_FIT, weight: 1 },
  { name: VOLUME_RESTRICTIONS },
  { name: VOLUME_BINDING },
  { name: VOLUME_ZONE },
  { name: POD_TOPOLOGY_SPREAD, weight: 2 },
  { name: INTER_POD_AFFINITY, weight: 2 },
  { name: DEFAULT_PREEMPTION },
  { name: NODE_RESOURCES_BALANCED_ALLOCATION, weight: 1 },
  { name: IMAGE_LOCALITY, weight: 1 },
  { name: DEFAULT_BINDER },
]);
