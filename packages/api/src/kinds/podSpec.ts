/**
 * `PodSpec`: what a pod runs and where, shared by Pods and by the pod
 * templates of workloads, with the defaults Kubernetes gives every pod spec
 * (`SetDefaults_PodSpec`).
 */
import { invalidName, labelKeyProblems } from '@keelson/core';
import { z } from 'zod';
import { containerSchema, securityContextSchema } from './container';
import { int32, int64, labelMap, localObjectReference, resourceList } from './primitives';
import { affinitySchema, tolerationSchema, topologySpreadConstraintSchema } from './scheduling';
import { volumeSchema } from './volume';

/** The pod-level security settings (a structural subset of upstream's). */
export const podSecurityContextSchema = securityContextSchema
  .pick({ runAsUser: true, runAsGroup: true, runAsNonRoot: true, seccompProfile: true })
  .extend({
    fsGroup: int64.exactOptional(),
    supplementalGroups: z.array(int64).exactOptional(),
  });

/** A scheduling gate: while a pod lists one, the scheduler does not try to place it. */
export const podSchedulingGateSchema = z.object({ name: z.string() });

/** A scheduling gate as stored. */
export type PodSchedulingGate = z.output<typeof podSchedulingGateSchema>;

/**
 * A pod spec. Defaults: `restartPolicy` Always, `terminationGracePeriodSeconds`
 * 30, `dnsPolicy` ClusterFirst, `schedulerName` default-scheduler, and each
 * container's defaults. At least one container; container names unique
 * across `containers` and `initContainers`; only init containers may set
 * `restartPolicy` (to Always, making them sidecars).
 */
/** A pod spec's fields, before the checks across fields ({@link checkPodSpec}). */
export const podSpecFieldsSchema = z.object({
  volumes: z.array(volumeSchema).exactOptional(),
  initContainers: z.array(containerSchema).exactOptional(),
  containers: z.array(containerSchema).min(1, { error: 'must have at least one container' }),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).default('Always'),
  terminationGracePeriodSeconds: int64.default(30),
  activeDeadlineSeconds: int64.min(1, { error: 'must be between 1 and 2147483647, inclusive' }).exactOptional(),
  dnsPolicy: z.enum(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']).default('ClusterFirst'),
  nodeSelector: labelMap.exactOptional(),
  serviceAccountName: z.string().exactOptional(),
  automountServiceAccountToken: z.boolean().exactOptional(),
  nodeName: z.string().exactOptional(),
  hostNetwork: z.boolean().exactOptional(),
  hostPID: z.boolean().exactOptional(),
  hostIPC: z.boolean().exactOptional(),
  shareProcessNamespace: z.boolean().exactOptional(),
  securityContext: podSecurityContextSchema.exactOptional(),
  imagePullSecrets: z.array(localObjectReference).exactOptional(),
  hostname: z.string().exactOptional(),
  subdomain: z.string().exactOptional(),
  affinity: affinitySchema.exactOptional(),
  schedulerName: z.string().min(1).default('default-scheduler'),
  runtimeClassName: z.string().min(1).exactOptional(),
  tolerations: z.array(tolerationSchema).exactOptional(),
  priorityClassName: z.string().exactOptional(),
  priority: int32.exactOptional(),
  preemptionPolicy: z.enum(['PreemptLowerPriority', 'Never']).exactOptional(),
  overhead: resourceList.exactOptional(),
  readinessGates: z.array(z.object({ conditionType: z.string().min(1) })).exactOptional(),
  enableServiceLinks: z.boolean().exactOptional(),
  topologySpreadConstraints: z.array(topologySpreadConstraintSchema).exactOptional(),
  /**
   * Gates that hold the pod back from scheduling while any remains (Kubernetes' pod scheduling
   * readiness): qualified names, unique; set at creation and only removed afterwards.
   */
  schedulingGates: z.array(podSchedulingGateSchema).exactOptional(),
});

type PodSpecFields = z.output<typeof podSpecFieldsSchema>;

/**
 * The checks across a pod spec's fields (hooks against the grace period,
 * unique names, mounts naming a volume, hostname and subdomain). A
 * StatefulSet's template also mounts the volumes its claim templates make:
 * their names come as `claimVolumes`.
 */
export function checkPodSpec(spec: PodSpecFields, ctx: z.RefinementCtx, claimVolumes?: ReadonlySet<string>): void {
  const seen = new Set<string>();
  for (const list of ['initContainers', 'containers'] as const) {
    (spec[list] ?? []).forEach((container, index) => {
      if (seen.has(container.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [list, index, 'name'],
          message: `Duplicate value: "${container.name}"`,
        });
      }
      seen.add(container.name);
    });
  }
  spec.containers.forEach((container, index) => {
    if (container.restartPolicy !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['containers', index, 'restartPolicy'],
        message: 'may not be set for non-init containers',
      });
    }
  });
  (spec.initContainers ?? []).forEach((container, index) => {
    if (container.lifecycle !== undefined && container.restartPolicy !== 'Always') {
      ctx.addIssue({
        code: 'custom',
        path: ['initContainers', index, 'lifecycle'],
        message: 'may not be set for init containers without restartPolicy=Always',
      });
    }
  });
  for (const list of ['initContainers', 'containers'] as const) {
    (spec[list] ?? []).forEach((container, index) => {
      for (const hook of ['postStart', 'preStop'] as const) {
        const seconds = container.lifecycle?.[hook]?.sleep?.seconds;
        if (seconds !== undefined && (seconds < 0 || seconds > spec.terminationGracePeriodSeconds)) {
          ctx.addIssue({
            code: 'custom',
            path: [list, index, 'lifecycle', hook, 'sleep'],
            message: `must be non-negative and less than terminationGracePeriodSeconds (${spec.terminationGracePeriodSeconds})`,
          });
        }
      }
    });
  }
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((volume, index) => {
    if (volumes.has(volume.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['volumes', index, 'name'],
        message: `Duplicate value: "${volume.name}"`,
      });
    }
    volumes.add(volume.name);
  });
  for (const list of ['initContainers', 'containers'] as const) {
    (spec[list] ?? []).forEach((container, index) => {
      (container.volumeMounts ?? []).forEach((mount, mountIndex) => {
        if (!volumes.has(mount.name) && !claimVolumes?.has(mount.name)) {
          ctx.addIssue({
            code: 'custom',
            path: [list, index, 'volumeMounts', mountIndex, 'name'],
            message: `Not found: "${mount.name}"`,
          });
        }
      });
    });
  }
  checkSchedulingGates(spec.schedulingGates, ctx);
  for (const field of ['hostname', 'subdomain'] as const) {
    const value = spec[field];
    const problem = value ? invalidName(value, 'label') : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: [field], message: problem });
  }
}

/** Kubernetes' `validateSchedulingGates`: each name a qualified name, no name twice. */
function checkSchedulingGates(gates: readonly PodSchedulingGate[] | undefined, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  (gates ?? []).forEach((gate, index) => {
    for (const problem of labelKeyProblems(gate.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedulingGates', index],
        message: `Invalid value: "${gate.name}": ${problem}`,
      });
    }
    if (seen.has(gate.name)) {
      ctx.addIssue({ code: 'custom', path: ['schedulingGates', index], message: `Duplicate value: "${gate.name}"` });
    }
    seen.add(gate.name);
  });
}

/** A pod spec, checked across its fields. */
export const podSpecSchema = podSpecFieldsSchema.superRefine((spec, ctx) => checkPodSpec(spec, ctx));

/** A pod spec as stored, defaults applied. */
export type PodSpec = z.output<typeof podSpecSchema>;
/** A pod spec as written in a manifest. */
export type PodSpecInput = z.input<typeof podSpecSchema>;
