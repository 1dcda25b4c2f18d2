/**
 * `v1` Service: a stable name and virtual IP in front of the pods a selector picks.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { metaConditionSchema } from './condition';
import { int32, labelMap, portName, portNumber, portNumberOrName, protocol } from './primitives';

/** One port of a service; `protocol` defaults to TCP and `targetPort` to `port`. */
export const servicePortSchema = z
  .object({
    name: portName.exactOptional(),
    protocol: protocol.default('TCP'),
    appProtocol: z.string().exactOptional(),
    port: portNumber,
    targetPort: portNumberOrName.exactOptional(),
    nodePort: portNumber.exactOptional(),
  })
  .transform((port) => ({ ...port, targetPort: port.targetPort ?? port.port }));

/** The default `sessionAffinityConfig.clientIP.timeoutSeconds` (3 hours). */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;

/**
 * A service's spec, with Kubernetes' defaults (`SetDefaults_Service`): `type`
 * ClusterIP, `sessionAffinity` None (with ClientIP, a 10800 s timeout),
 * `internalTrafficPolicy` Cluster, `externalTrafficPolicy` Cluster for
 * NodePort and LoadBalancer, `allocateLoadBalancerNodePorts` true for
 * LoadBalancer, and the port defaults.
 */
export const serviceSpecSchema = z
  .object({
    selector: labelMap.exactOptional(),
    ports: z.array(servicePortSchema).exactOptional(),
    type: z.enum(SERVICE_TYPES).default('ClusterIP'),
    clusterIP: z.string().exactOptional(),
    clusterIPs: z.array(z.string()).exactOptional(),
    externalIPs: z.array(z.string()).exactOptional(),
    externalName: z.string().exactOptional(),
    sessionAffinity: z.enum(['None', 'ClientIP']).default('None'),
    sessionAffinityConfig: z
      .object({ clientIP: z.object({ timeoutSeconds: int32.min(1).max(86400).exactOptional() }).exactOptional() })
      .exactOptional(),
    externalTrafficPolicy: z.enum(['Cluster', 'Local']).exactOptional(),
    internalTrafficPolicy: z.enum(['Cluster', 'Local']).exactOptional(),
    publishNotReadyAddresses: z.boolean().exactOptional(),
    loadBalancerIP: z.string().exactOptional(),
    loadBalancerClass: z.string().exactOptional(),
    allocateLoadBalancerNodePorts: z.boolean().exactOptional(),
  })
  .superRefine((spec, ctx) => {
    const headless = spec.clusterIP === 'None';
    const ports = spec.ports ?? [];
    if (ports.length === 0 && !headless && spec.type !== 'ExternalName') {
      ctx.addIssue({ code: 'custom', path: ['ports'], message: 'Required value' });
    }
    const names = new Set<string>();
    ports.forEach((port, index) => {
      if (ports.length > 1 && !port.name) {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', index, 'name'],
          message: 'must be specified when there is more than one port',
        });
      }
      if (port.name && names.has(port.name)) {
        ctx.addIssue({ code: 'custom', path: ['ports', index, 'name'], message: `Duplicate value: "${port.name}"` });
      }
      if (port.name) names.add(port.name);
      if (port.nodePort !== undefined && spec.type === 'ClusterIP') {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', index, 'nodePort'],
          message: "may not be used when `type` is 'ClusterIP'",
        });
      }
    });
    if (spec.type === 'ExternalName' && !spec.externalName) {
      ctx.addIssue({ code: 'custom', path: ['externalName'], message: 'Required value' });
    }
  })
  .transform((spec) => {
    const out = { ...spec };
    if (out.sessionAffinity === 'None') delete out.sessionAffinityConfig;
    else if (out.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
      out.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
    const external = out.type === 'NodePort' || out.type === 'LoadBalancer';
    if (external && out.externalTrafficPolicy === undefined) out.externalTrafficPolicy = 'Cluster';
    if (out.type !== 'ExternalName' && out.internalTrafficPolicy === undefined) out.internalTrafficPolicy = 'Cluster';
    if (out.type === 'LoadBalancer' && out.allocateLoadBalancerNodePorts === undefined) {
      out.allocateLoadBalancerNodePorts = true;
    }
    return out;
  });

/** A service's status: its load balancer's ingress points, and conditions. */
export const serviceStatusSchema = z.object({
  loadBalancer: z
    .object({
      ingress: z
        .array(z.object({ ip: z.string().exactOptional(), hostname: z.string().exactOptional() }))
        .exactOptional(),
    })
    .prefault({}),
  conditions: z.array(metaConditionSchema).exactOptional(),
});

/** Service names are DNS-1035 labels: a DNS label that starts with a letter. */
function serviceNameIssues(name: string): FieldIssue[] {
  return /^[a-z]/.test(name)
    ? []
    : [{ path: 'metadata.name', message: 'a DNS-1035 label must start with an alphabetic character' }];
}

/**
 * The Service kind. A new service's status is empty (a load balancer
 * controller fills it); an assigned `clusterIP` is kept when an update
 * leaves it out, and may not change otherwise (except to become an
 * ExternalName service). `spec.type` and `spec.clusterIP` are selectable.
 */
export const Service = defineResource({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  namespaced: true,
  nameRule: 'label',
  spec: serviceSpecSchema,
  status: serviceStatusSchema,
  fields: {
    'spec.clusterIP': { get: (service) => service.spec.clusterIP ?? '' },
    'spec.type': { get: (service) => service.spec.type },
  },
  strategy: {
    prepareForCreate: (service) => ({ ...service, status: { loadBalancer: {} } }),
    prepareForUpdate: (old, next) => {
      const { clusterIP, clusterIPs } = old.spec;
      if (next.spec.clusterIP !== undefined || clusterIP === undefined || next.spec.type === 'ExternalName')
        return next;
      return { ...next, spec: { ...next.spec, clusterIP, ...(clusterIPs === undefined ? {} : { clusterIPs }) } };
    },
    validate: (service) => serviceNameIssues(service.metadata.name),
    validateUpdate: (old, next) =>
      old.spec.clusterIP !== undefined &&
      old.spec.clusterIP !== '' &&
      next.spec.type !== 'ExternalName' &&
      next.spec.clusterIP !== old.spec.clusterIP
        ? [{ path: 'spec.clusterIP', message: 'field is immutable' }]
        : [],
  },
});
export type Service = ResourceOf<typeof Service>;
