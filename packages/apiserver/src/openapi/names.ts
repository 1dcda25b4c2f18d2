/**
 * How Kubernetes names what an OpenAPI document holds: component schemas
 * (`io.k8s.api.apps.v1.Deployment`), document paths (`apis/apps/v1`) and
 * operation ids (`patchAppsV1NamespacedDeployment`).
 */

/** Where the built-in groups' Go packages live, as their schema names show it. */
const BUILTIN_PACKAGES: Readonly<Record<string, string>> = {
  '': 'io.k8s.api.core',
  apps: 'io.k8s.api.apps',
  batch: 'io.k8s.api.batch',
  policy: 'io.k8s.api.policy',
  autoscaling: 'io.k8s.api.autoscaling',
  'coordination.k8s.io': 'io.k8s.api.coordination',
  'discovery.k8s.io': 'io.k8s.api.discovery',
  'events.k8s.io': 'io.k8s.api.events',
  'authorization.k8s.io': 'io.k8s.api.authorization',
  'authentication.k8s.io': 'io.k8s.api.authentication',
  'rbac.authorization.k8s.io': 'io.k8s.api.rbac',
  'networking.k8s.io': 'io.k8s.api.networking',
  'storage.k8s.io': 'io.k8s.api.storage',
  'scheduling.k8s.io': 'io.k8s.api.scheduling',
  'node.k8s.io': 'io.k8s.api.node',
  'certificates.k8s.io': 'io.k8s.api.certificates',
  'admissionregistration.k8s.io': 'io.k8s.api.admissionregistration',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
};

/** The prefix of Kubernetes' meta/v1 schema names. */
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** A `$ref` to a component schema. */
export function ref(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** A reference in the form Kubernetes writes it where a description or default sits beside it. */
export function refWith(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { allOf: [ref(name)], ...extra };
}

/**
 * The component name of a kind: Kubernetes' Go package for built-in groups,
 * the reversed group for others (`example.dev` → `dev.example.v1.Website`).
 */
export function schemaName(group: string, version: string, kind: string): string {
  const builtin = BUILTIN_PACKAGES[group];
  const prefix = builtin ?? group.split('.').reverse().join('.');
  return `${prefix}.${version}.${kind}`;
}

/** The document path of a group-version: `api/v1` for the core group, else `apis/<group>/<version>`. */
export function documentPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function upperFirst(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The group as operation ids spell it: `Core`, `Apps`, `Coordination`, `ExampleDev`. */
export function groupWord(group: string): string {
  if (group === '') return 'Core';
  const trimmed = group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return trimmed.split(/[.-]/).filter(Boolean).map(upperFirst).join('');
}

/** The tag Kubernetes puts on a group-version's operations: `core_v1`, `apps_v1`, `exampleDev_v1`. */
export function tagOf(group: string, version: string): string {
  const word = groupWord(group);
  return `${word.charAt(0).toLowerCase()}${word.slice(1)}_${version}`;
}

/** The operation id prefix of a group-version: `CoreV1`, `AppsV1`, `BatchV1beta1`. */
export function operationStem(group: string, version: string): string {
  return `${groupWord(group)}${upperFirst(version)}`;
}
