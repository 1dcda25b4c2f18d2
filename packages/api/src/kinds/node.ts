/**
 * `v1` Node: a machine that runs pods, as its kubelet registers and reports it.
 */
import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { nodeConditionSchema } from './condition';
import { int32, int64, resourceList } from './primitives';
import { taintSchema } from './scheduling';

/** A node's spec: where its pods' IPs come from, whether it takes new pods, its taints. */
export const nodeSpecSchema = z
  .object({
    podCIDR: z.string().exactOptional(),
    podCIDRs: z.array(z.string()).exactOptional(),
    providerID: z.string().exactOptional(),
    unschedulable: z.boolean().exactOptional(),
    taints: z.array(taintSchema).exactOptional(),
  })
  .prefault({});

/** One of the node's addresses. */
export const nodeAddressSchema = z.object({
  type: z.enum(['Hostname', 'InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS']),
  address: z.string().min(1),
});

/** What the node runs, as its kubelet reports it. */
export const nodeSystemInfoSchema = z.object({
  machineID: z.string().exactOptional(),
  systemUUID: z.string().exactOptional(),
  bootID: z.string().exactOptional(),
  kernelVersion: z.string().exactOptional(),
  osImage: z.string().exactOptional(),
  containerRuntimeVersion: z.string().exactOptional(),
  kubeletVersion: z.string().exactOptional(),
  kubeProxyVersion: z.string().exactOptional(),
  operatingSystem: z.string().exactOptional(),
  architecture: z.string().exactOptional(),
});

/** An image present on the node: its names (tags and digests) and size, as kubelets report them. */
export const nodeImageSchema = z.object({
  names: z.array(z.string()).exactOptional(),
  sizeBytes: int64.exactOptional(),
});

/**
 * A node's status. `capacity` is what the machine has and `allocatable` what
 * pods may use (quantities, checked); `allocatable` defaults to `capacity`.
 */
export const nodeStatusSchema = z
  .object({
    capacity: resourceList.exactOptional(),
    allocatable: resourceList.exactOptional(),
    phase: z.enum(['Pending', 'Running', 'Terminated']).exactOptional(),
    conditions: z.array(nodeConditionSchema).exactOptional(),
    addresses: z.array(nodeAddressSchema).exactOptional(),
    daemonEndpoints: z.object({ kubeletEndpoint: z.object({ Port: int32 }).exactOptional() }).exactOptional(),
    nodeInfo: nodeSystemInfoSchema.exactOptional(),
    images: z.array(nodeImageSchema).exactOptional(),
  })
  .transform((status) =>
    status.allocatable === undefined && status.capacity !== undefined
      ? { ...status, allocatable: status.capacity }
      : status,
  );

/**
 * The Node kind (cluster-scoped). Unlike most kinds a node may be created
 * with its status, as kubelets register. `spec.unschedulable` is selectable.
 *
 * @example
 * ```ts
 * await store.create(Node, {
 *   metadata: { name: 'node-1' },
 *   spec: {},
 *   status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } },
 * }); // status.allocatable equals capacity
 * ```
 */
export const Node = defineResource({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  namespaced: false,
  spec: nodeSpecSchema,
  status: nodeStatusSchema,
  fields: { 'spec.unschedulable': { get: (node) => String(node.spec.unschedulable ?? false) } },
});
export type Node = ResourceOf<typeof Node>;
