/**
 * The `meta.k8s.io/v1` schemas every group-version document refers to,
 * written after Kubernetes' own (names, fields and types), so that
 * `kubectl explain` and client generators see the shapes they know.
 */
import { META, refWith } from './names';

type Schema = Record<string, unknown>;

const string = (description: string): Schema => ({ type: 'string', description });
const time = (description: string): Schema => ({ type: 'string', format: 'date-time', description });
const int64 = (description: string): Schema => ({ type: 'integer', format: 'int64', description });
const int32 = (description: string): Schema => ({ type: 'integer', format: 'int32', description });
const stringMap = (description: string): Schema => ({
  type: 'object',
  additionalProperties: { type: 'string', default: '' },
  description,
});
const stringList = (description: string): Schema => ({
  type: 'array',
  items: { type: 'string', default: '' },
  description,
});

/** The description Kubernetes gives `apiVersion` on every kind. */
export const API_VERSION_DESCRIPTION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.';

/** The description Kubernetes gives `kind` on every kind. */
export const KIND_DESCRIPTION =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.';

const typeMeta = {
  apiVersion: string(API_VERSION_DESCRIPTION),
  kind: string(KIND_DESCRIPTION),
};

const objectMeta: Schema = {
  description:
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  type: 'object',
  properties: {
    annotations: stringMap('Annotations is an unstructured key value map stored with a resource.'),
    creationTimestamp: time('CreationTimestamp is when the server created this object. Read-only.'),
    deletionGracePeriodSeconds: int64('Seconds allowed for this object to terminate gracefully. Read-only.'),
    deletionTimestamp: time('The time after which this resource will be deleted. Set by the server. Read-only.'),
    finalizers: {
      ...stringList('Must be empty before the object is deleted from the registry.'),
      'x-kubernetes-list-type': 'set',
    },
    generateName: string('An optional prefix the server uses to generate a unique name when name is not given.'),
    generation: int64('A sequence number representing a specific generation of the desired state. Read-only.'),
    labels: stringMap('Map of string keys and values that can be used to organize and categorize objects.'),
    managedFields: {
      type: 'array',
      items: refWith(`${META}.ManagedFieldsEntry`, { default: {} }),
      description: 'Which field managers own which fields (server-side apply).',
    },
    name: string('Name must be unique within a namespace. Cannot be updated.'),
    namespace: string('The namespace the name is unique in; empty for cluster-scoped objects. Cannot be updated.'),
    ownerReferences: {
      type: 'array',
      items: refWith(`${META}.OwnerReference`, { default: {} }),
      description: 'Objects this object depends on; when all are deleted, this object is garbage collected.',
    },
    resourceVersion: string('An opaque value for optimistic concurrency, change detection and watches. Read-only.'),
    selfLink: string('Deprecated; not set by the server.'),
    uid: string('The unique identifier of this object in time and space. Read-only.'),
  },
};

const ownerReference: Schema = {
  description: 'OwnerReference contains enough information to let you identify an owning object.',
  type: 'object',
  required: ['apiVersion', 'kind', 'name', 'uid'],
  properties: {
    apiVersion: { ...string('API version of the referent.'), default: '' },
    blockOwnerDeletion: { type: 'boolean', description: 'Whether foreground deletion waits for this object.' },
    controller: { type: 'boolean', description: 'If true, this reference points to the managing controller.' },
    kind: { ...string('Kind of the referent.'), default: '' },
    name: { ...string('Name of the referent.'), default: '' },
    uid: { ...string('UID of the referent.'), default: '' },
  },
  'x-kubernetes-map-type': 'atomic',
};

const managedFieldsEntry: Schema = {
  description:
    'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
  type: 'object',
  properties: {
    apiVersion: string('The version of the resource this field set applies to.'),
    fieldsType: string('The format of fieldsV1; only "FieldsV1".'),
    fieldsV1: { type: 'object', description: 'The set of fields this manager owns.' },
    manager: string('An identifier of the workflow managing these fields.'),
    operation: string('The operation that caused this entry: Apply or Update.'),
    subresource: string('The subresource used to update the object, if any.'),
    time: time('When these fields were last changed.'),
  },
};

const listMeta: Schema = {
  description:
    'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
  type: 'object',
  properties: {
    continue: string('Set when the list was cut short by a limit; pass it back to read the rest.'),
    remainingItemCount: int64('The number of items after this list, when known.'),
    resourceVersion: string('The revision of the store this list reflects.'),
    selfLink: string('Deprecated; not set by the server.'),
  },
};

const statusCause: Schema = {
  description: 'StatusCause provides more information about an api.Status failure.',
  type: 'object',
  properties: {
    field: string('The field of the resource that caused this error, as a JSON path.'),
    message: string('A human-readable description of the cause.'),
    reason: string('A machine-readable description of the cause.'),
  },
};

const statusDetails: Schema = {
  description:
    'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.',
  type: 'object',
  properties: {
    causes: {
      type: 'array',
      items: refWith(`${META}.StatusCause`, { default: {} }),
      description: 'The causes of the error.',
    },
    group: string('The group of the resource.'),
    kind: string('The kind of the resource.'),
    name: string('The name of the resource.'),
    retryAfterSeconds: int32('When to retry the operation, in seconds.'),
    uid: string('The UID of the resource.'),
  },
};

const status: Schema = {
  description: 'Status is a return value for calls that do not return other objects.',
  type: 'object',
  properties: {
    ...typeMeta,
    code: int32('Suggested HTTP return code for this status, 0 if not set.'),
    details: refWith(`${META}.StatusDetails`, { description: 'Extended data associated with the reason.' }),
    message: string('A human-readable description of the status of this operation.'),
    metadata: refWith(`${META}.ListMeta`, { default: {}, description: 'Standard list metadata.' }),
    reason: string('A machine-readable description of why this operation is in the "Failure" status.'),
    status: string('Status of the operation: "Success" or "Failure".'),
  },
  'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
};

const preconditions: Schema = {
  description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
  type: 'object',
  properties: {
    resourceVersion: string('Specifies the target ResourceVersion'),
    uid: string('Specifies the target UID.'),
  },
};

const deleteOptions: Schema = {
  description: 'DeleteOptions may be provided when deleting an API object.',
  type: 'object',
  properties: {
    ...typeMeta,
    dryRun: stringList('When present, indicates that modifications should not be persisted ("All").'),
    gracePeriodSeconds: int64('The duration in seconds before the object should be deleted.'),
    orphanDependents: { type: 'boolean', description: 'Deprecated: use propagationPolicy.' },
    preconditions: refWith(`${META}.Preconditions`, {
      description: 'Must be fulfilled before a deletion is carried out.',
    }),
    propagationPolicy: string('Whether and how garbage collection is performed: Orphan, Background or Foreground.'),
  },
};

const patch: Schema = {
  description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  type: 'object',
};

const watchEvent: Schema = {
  description: 'Event represents a single event to a watched resource.',
  type: 'object',
  required: ['type', 'object'],
  properties: {
    object: { type: 'object', description: 'The object, or a Status for ERROR events.' },
    type: { ...string('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'), default: '' },
  },
};

/** The `autoscaling/v1` Scale a `scale` subresource reads and writes. */
export const SCALE_SCHEMA_NAME = 'io.k8s.api.autoscaling.v1.Scale';

const scale: Schema = {
  description: 'Scale represents a scaling request for a resource.',
  type: 'object',
  properties: {
    ...typeMeta,
    metadata: refWith(`${META}.ObjectMeta`, { default: {}, description: 'Standard object metadata.' }),
    spec: refWith('io.k8s.api.autoscaling.v1.ScaleSpec', { default: {}, description: 'The desired scale.' }),
    status: refWith('io.k8s.api.autoscaling.v1.ScaleStatus', { description: 'The current scale. Read-only.' }),
  },
  'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
};

const scaleSpec: Schema = {
  description: 'ScaleSpec describes the attributes of a scale subresource.',
  type: 'object',
  properties: { replicas: int32('The desired number of instances.') },
};

const scaleStatus: Schema = {
  description: 'ScaleStatus represents the current status of a scale subresource.',
  type: 'object',
  required: ['replicas'],
  properties: {
    replicas: { ...int32('The actual number of observed instances.'), default: 0 },
    selector: string('The label query over pods that should match the replicas count, in the string form.'),
  },
};

/** Kubernetes' name for a field that takes a number or a string (ports, rollout bounds). */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

const intOrString: Schema = {
  description: 'IntOrString is a type that can hold an int32 or a string.',
  type: 'string',
  format: 'int-or-string',
};

/** Kubernetes' name for a resource quantity (`500m`, `1Gi`, `2`). */
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

const quantity: Schema = {
  description: 'Quantity is a fixed-point representation of a number, such as 500m, 1Gi or 2.',
  type: 'string',
};

/** Every meta schema by component name; a document takes those its other schemas refer to. */
export const metaSchemas: Readonly<Record<string, Schema>> = {
  [`${META}.ObjectMeta`]: objectMeta,
  [`${META}.OwnerReference`]: ownerReference,
  [`${META}.ManagedFieldsEntry`]: managedFieldsEntry,
  [`${META}.ListMeta`]: listMeta,
  [`${META}.Status`]: status,
  [`${META}.StatusDetails`]: statusDetails,
  [`${META}.StatusCause`]: statusCause,
  [`${META}.DeleteOptions`]: deleteOptions,
  [`${META}.Preconditions`]: preconditions,
  [`${META}.Patch`]: patch,
  [`${META}.WatchEvent`]: watchEvent,
  [SCALE_SCHEMA_NAME]: scale,
  'io.k8s.api.autoscaling.v1.ScaleSpec': scaleSpec,
  'io.k8s.api.autoscaling.v1.ScaleStatus': scaleStatus,
  [INT_OR_STRING]: intOrString,
  [QUANTITY]: quantity,
};

/** The names a schema refers to through `$ref`, directly. */
export function referencedNames(schema: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) referencedNames(item, into);
  } else if (schema !== null && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        into.add(value.slice('#/components/schemas/'.length));
      } else if (key !== 'default' && key !== 'enum' && key !== 'example') {
        referencedNames(value, into);
      }
    }
  }
  return into;
}

/** A `$ref` to ObjectMeta, for kinds' `metadata`. */
export const objectMetaRef = (): Record<string, unknown> =>
  refWith(`${META}.ObjectMeta`, {
    default: {},
    description: 'Standard object metadata.',
  });

/** A `$ref` to ListMeta, for lists' `metadata`. */
export const listMetaRef = (): Record<string, unknown> =>
  refWith(`${META}.ListMeta`, { default: {}, description: 'Standard list metadata.' });
