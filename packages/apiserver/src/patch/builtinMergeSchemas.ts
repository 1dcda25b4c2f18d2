import type { MergeSchema } from './mergeSchema';

/*
 * Merge keys of the built-in kinds, from the `patchStrategy` / `patchMergeKey`
 * and `+listType` / `+listMapKey` tags of kubernetes/api (core/v1, apps/v1,
 * batch/v1, policy/v1, autoscaling/v2) and apimachinery's ObjectMeta. Lists not
 * named here (tolerations, readinessGates, args, command, envFrom, …) have no
 * strategy in Kubernetes either: a strategic merge patch replaces them and
 * server-side apply treats them as atomic.
 */

function keyedList(key: string, items?: MergeSchema, more?: Partial<MergeSchema>): MergeSchema {
  return {
    patchStrategy: 'merge',
    patchMergeKey: key,
    listType: 'map',
    listMapKeys: [key],
    ...(items ? { items } : {}),
    ...more,
  };
}

const mergedSet: MergeSchema = { patchStrategy: 'merge', listType: 'set' };
const conditions = keyedList('type');
const statusWithConditions: MergeSchema = { fields: { conditions } };

const objectMeta: MergeSchema = {
  fields: { finalizers: mergedSet, ownerReferences: keyedList('uid') },
};

const container: MergeSchema = {
  fields: {
    ports: keyedList('containerPort', undefined, {
      listMapKeys: ['containerPort', 'protocol'],
      listMapKeyDefaults: { protocol: 'TCP' },
    }),
    env: keyedList('name'),
    volumeMounts: keyedList('mountPath'),
    volumeDevices: keyedList('devicePath'),
  },
};

const podSpec: MergeSchema = {
  fields: {
    volumes: keyedList('name', undefined, { patchStrategy: 'merge,retainKeys' }),
    initContainers: keyedList('name', container),
    containers: keyedList('name', container),
    ephemeralContainers: keyedList('name', container),
    imagePullSecrets: keyedList('name'),
    hostAliases: keyedList('ip'),
    topologySpreadConstraints: keyedList('topologyKey', undefined, {
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    }),
    schedulingGates: keyedList('name'),
    resourceClaims: keyedList('name', undefined, { patchStrategy: 'merge,retainKeys' }),
  },
};

const podStatus: MergeSchema = {
  fields: {
    conditions,
    podIPs: keyedList('ip'),
    hostIPs: keyedList('ip'),
    resourceClaimStatuses: keyedList('name', undefined, { patchStrategy: 'merge,retainKeys' }),
  },
};

const podTemplate: MergeSchema = { fields: { metadata: objectMeta, spec: podSpec } };

function kind(fields: Record<string, MergeSchema>): MergeSchema {
  return { fields: { metadata: objectMeta, ...fields } };
}

function workload(spec: Record<string, MergeSchema> = {}): MergeSchema {
  return kind({ spec: { fields: { template: podTemplate, ...spec } }, status: statusWithConditions });
}

const job = workload();
const jobTemplate: MergeSchema = { fields: { metadata: objectMeta, spec: job.fields?.spec ?? {} } };

/** Built-in schemas by `group/Kind` (the core group is empty: `/Pod`). */
export const builtinMergeSchemas: ReadonlyMap<string, MergeSchema> = new Map<string, MergeSchema>([
  ['/Pod', kind({ spec: podSpec, status: podStatus })],
  ['/PodTemplate', kind({ template: podTemplate })],
  ['/ReplicationController', workload()],
  [
    '/Service',
    kind({
      spec: {
        fields: {
          ports: keyedList('port', undefined, {
            listMapKeys: ['port', 'protocol'],
            listMapKeyDefaults: { protocol: 'TCP' },
          }),
        },
      },
      status: statusWithConditions,
    }),
  ],
  [
    '/Node',
    kind({
      spec: { fields: { podCIDRs: mergedSet } },
      status: { fields: { conditions, addresses: keyedList('type') } },
    }),
  ],
  ['/Namespace', kind({ status: statusWithConditions })],
  ['/ServiceAccount', kind({ secrets: keyedList('name') })],
  ['/ConfigMap', kind({})],
  ['/Secret', kind({})],
  ['/Event', kind({})],
  ['/Endpoints', kind({})],
  ['apps/Deployment', workload({ strategy: { patchStrategy: 'retainKeys' } })],
  ['apps/ReplicaSet', workload()],
  ['apps/StatefulSet', workload()],
  ['apps/DaemonSet', workload()],
  ['batch/Job', job],
  ['batch/CronJob', kind({ spec: { fields: { jobTemplate } } })],
  [
    'policy/PodDisruptionBudget',
    kind({ spec: { fields: { selector: { patchStrategy: 'replace' } } }, status: statusWithConditions }),
  ],
  ['autoscaling/HorizontalPodAutoscaler', kind({ status: statusWithConditions })],
  ['discovery.k8s.io/EndpointSlice', kind({})],
  ['coordination.k8s.io/Lease', kind({})],
  ['events.k8s.io/Event', kind({})],
]);
