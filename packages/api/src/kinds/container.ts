/**
 * `Container`: one process of a pod, as `spec.containers` and
 * `spec.initContainers` list them, with Kubernetes' container defaults.
 */
import { reuseOutputs } from '@keelson/core';
import { z } from 'zod';
import { parseQuantity } from '../quantity/index';
import { dnsLabel, int64, portName, portNumber, protocol, quantity, resourceList } from './primitives';
import { execActionSchema, httpGetActionSchema, probeSchema, tcpSocketActionSchema } from './probe';

/** A port the container listens on; `protocol` defaults to TCP. */
export const containerPortSchema = reuseOutputs(
  z.object({
    name: portName.exactOptional(),
    containerPort: portNumber,
    protocol: protocol.default('TCP'),
    hostPort: portNumber.exactOptional(),
    hostIP: z.string().exactOptional(),
  }),
);

const keySelector = z.object({
  name: z.string().exactOptional(),
  key: z.string(),
  optional: z.boolean().exactOptional(),
});

/** Where an environment variable's value comes from when it is not literal. */
export const envVarSourceSchema = z.object({
  fieldRef: z.object({ apiVersion: z.string().default('v1'), fieldPath: z.string().min(1) }).exactOptional(),
  resourceFieldRef: z
    .object({
      containerName: z.string().exactOptional(),
      resource: z.string().min(1),
      divisor: quantity.exactOptional(),
    })
    .exactOptional(),
  configMapKeyRef: keySelector.exactOptional(),
  secretKeyRef: keySelector.exactOptional(),
});

/** One environment variable: a literal `value` or a `valueFrom` source. */
export const envVarSchema = reuseOutputs(
  z.object({
    name: z.string().min(1),
    value: z.string().exactOptional(),
    valueFrom: envVarSourceSchema.exactOptional(),
  }),
);

const optionalRef = z.object({ name: z.string().exactOptional(), optional: z.boolean().exactOptional() });

/** Every key of a ConfigMap or Secret as environment variables. */
export const envFromSourceSchema = z.object({
  prefix: z.string().exactOptional(),
  configMapRef: optionalRef.exactOptional(),
  secretRef: optionalRef.exactOptional(),
});

const ZERO = parseQuantity('0');

/**
 * What a container asks for (`requests`, used for scheduling) and may use
 * at most (`limits`). Quantities must not be negative and a request may not
 * exceed its limit.
 */
export const resourceRequirementsSchema = reuseOutputs(
  z
    .object({ requests: resourceList.exactOptional(), limits: resourceList.exactOptional() })
    .superRefine((resources, ctx) => {
      // Quantities that failed to parse were reported already; compare only the valid ones.
      const valid = (text: unknown) => {
        if (typeof text !== 'string') return undefined; // absent: no need to build (and catch) an error
        try {
          return parseQuantity(text as string);
        } catch {
          return undefined;
        }
      };
      for (const part of ['requests', 'limits'] as const) {
        for (const [name, value] of Object.entries(resources[part] ?? {})) {
          if ((valid(value)?.cmp(ZERO) ?? 0) < 0) {
            ctx.addIssue({ code: 'custom', path: [part, name], message: 'must be greater than or equal to 0' });
          }
        }
      }
      for (const [name, request] of Object.entries(resources.requests ?? {})) {
        const limit = resources.limits?.[name];
        const [requested, limited] = [valid(request), valid(limit)];
        if (requested && limited && requested.cmp(limited) > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['requests', name],
            message: `must be less than or equal to ${name} limit of ${limit}`,
          });
        }
      }
    }),
);

/** Where a pod volume appears in the container's filesystem. */
export const volumeMountSchema = z.object({
  name: z.string().min(1),
  mountPath: z.string().min(1),
  readOnly: z.boolean().exactOptional(),
  subPath: z.string().exactOptional(),
  mountPropagation: z.enum(['None', 'HostToContainer', 'Bidirectional']).exactOptional(),
});

/** The container's security settings (a structural subset of upstream's). */
export const securityContextSchema = z.object({
  runAsUser: int64.exactOptional(),
  runAsGroup: int64.exactOptional(),
  runAsNonRoot: z.boolean().exactOptional(),
  privileged: z.boolean().exactOptional(),
  allowPrivilegeEscalation: z.boolean().exactOptional(),
  readOnlyRootFilesystem: z.boolean().exactOptional(),
  capabilities: z
    .object({ add: z.array(z.string()).exactOptional(), drop: z.array(z.string()).exactOptional() })
    .exactOptional(),
  seccompProfile: z
    .object({
      type: z.enum(['RuntimeDefault', 'Unconfined', 'Localhost']),
      localhostProfile: z.string().exactOptional(),
    })
    .exactOptional(),
});

const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

/**
 * A lifecycle hook's action: exactly one of `exec` (its `command` required),
 * `httpGet`, `sleep` (`seconds`, at most the pod's grace period, checked by
 * the pod spec) or the deprecated `tcpSocket` (accepted, fails when run), as
 * Kubernetes' `validateHandler` rules.
 */
export const lifecycleHandlerSchema = z
  .object({
    exec: execActionSchema.exactOptional(),
    httpGet: httpGetActionSchema.exactOptional(),
    tcpSocket: tcpSocketActionSchema.exactOptional(),
    sleep: z.object({ seconds: int64 }).exactOptional(),
  })
  .superRefine((handler, ctx) => {
    const handlers = LIFECYCLE_HANDLERS.filter((name) => handler[name] !== undefined);
    if (handlers.length === 0) ctx.addIssue({ code: 'custom', message: 'must specify a handler type' });
    for (const extra of handlers.slice(1)) {
      ctx.addIssue({ code: 'custom', path: [extra], message: 'may not specify more than 1 handler type' });
    }
    if (handlers[0] === 'exec' && (handler.exec?.command ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['exec', 'command'], message: 'Required value' });
    }
  });

/** `postStart` runs right after the container starts; `preStop` before its stop signal. */
export const lifecycleSchema = z.object({
  postStart: lifecycleHandlerSchema.exactOptional(),
  preStop: lifecycleHandlerSchema.exactOptional(),
});

/**
 * Kubernetes' default pull policy: `Always` when the image's tag is `latest`
 * or when it has neither tag nor digest (which means `latest`), otherwise
 * `IfNotPresent`.
 *
 * @example
 * ```ts
 * defaultImagePullPolicy('nginx'); // 'Always'
 * defaultImagePullPolicy('nginx:1.25'); // 'IfNotPresent'
 * defaultImagePullPolicy('localhost:5000/app@sha256:abc'); // 'IfNotPresent'
 * ```
 */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastPart = named.slice(named.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon >= 0 ? lastPart.slice(colon + 1) : '';
  if (tag === '' && at >= 0) return 'IfNotPresent';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * A container. Defaults: ports' `protocol` TCP, `imagePullPolicy` by
 * {@link defaultImagePullPolicy}, `terminationMessagePath`
 * `/dev/termination-log`, `terminationMessagePolicy` `File`, and the probe
 * defaults. `restartPolicy: Always` marks a sidecar init container.
 */
export const containerSchema = reuseOutputs(
  z
    .object({
      name: dnsLabel,
      image: z.string().min(1, { error: 'Required value' }),
      command: z.array(z.string()).exactOptional(),
      args: z.array(z.string()).exactOptional(),
      workingDir: z.string().exactOptional(),
      ports: z.array(containerPortSchema).exactOptional(),
      envFrom: z.array(envFromSourceSchema).exactOptional(),
      env: z.array(envVarSchema).exactOptional(),
      resources: resourceRequirementsSchema.exactOptional(),
      restartPolicy: z.enum(['Always']).exactOptional(),
      volumeMounts: z.array(volumeMountSchema).exactOptional(),
      livenessProbe: probeSchema.exactOptional(),
      readinessProbe: probeSchema.exactOptional(),
      startupProbe: probeSchema.exactOptional(),
      lifecycle: lifecycleSchema.exactOptional(),
      terminationMessagePath: z.string().default('/dev/termination-log'),
      terminationMessagePolicy: z.enum(['File', 'FallbackToLogsOnError']).default('File'),
      imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).exactOptional(),
      securityContext: securityContextSchema.exactOptional(),
      stdin: z.boolean().exactOptional(),
      stdinOnce: z.boolean().exactOptional(),
      tty: z.boolean().exactOptional(),
    })
    .superRefine((container, ctx) => {
      for (const probe of ['livenessProbe', 'startupProbe'] as const) {
        if (container[probe] !== undefined && container[probe].successThreshold !== 1) {
          ctx.addIssue({ code: 'custom', path: [probe, 'successThreshold'], message: 'must be 1' });
        }
      }
      if (container.readinessProbe?.terminationGracePeriodSeconds !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['readinessProbe', 'terminationGracePeriodSeconds'],
          message: 'must not be set for readinessProbes',
        });
      }
    })
    .transform((container) => ({
      ...container,
      imagePullPolicy: container.imagePullPolicy ?? defaultImagePullPolicy(container.image),
    })),
);

/** A container as stored, defaults applied. */
export type Container = z.output<typeof containerSchema>;
/** A container as written in a manifest. */
export type ContainerInput = z.input<typeof containerSchema>;
