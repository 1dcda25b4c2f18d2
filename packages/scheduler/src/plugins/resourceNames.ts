/**
 * Kubernetes' classification of resource names (`v1helper` in
 * kube-scheduler): which names are extended resources (`example.com/gpu`),
 * which count as "scalar" resources (everything the scheduler tracks by name
 * rather than as cpu / memory / ephemeral-storage), and which names are
 * well-formed qualified names.
 */

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Kubernetes' `IsQualifiedName` (also what label names must be): an optional
 * DNS-subdomain prefix and `/`, then a name of at most 63 alphanumerics,
 * `-`, `_` or `.`, starting and ending alphanumeric.
 */
export function isQualifiedName(value: string): boolean {
  const slash = value.indexOf('/');
  let name = value;
  if (slash >= 0) {
    const prefix = value.slice(0, slash);
    name = value.slice(slash + 1);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && NAME_PART.test(name);
}

/** `kubernetes.io/…` and `*.kubernetes.io/…` names: native, though prefixed. */
export function isPrefixedNativeResource(name: string): boolean {
  return name.includes('kubernetes.io/');
}

/** Native resources: unprefixed names (`cpu`, `hugepages-2Mi`) and `kubernetes.io/` ones. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || isPrefixedNativeResource(name);
}

/** `hugepages-<size>`. */
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** `attachable-volumes-<plugin>`. */
export function isAttachableVolumeResourceName(name: string): boolean {
  return name.startsWith('attachable-volumes-');
}

/**
 * An extended resource: a prefixed name outside `kubernetes.io/`, which must
 * still be a qualified name once quota's `requests.` prefix is added
 * (`example.com/foo` is one, `cpu` and `kubernetes.io/foo` are not).
 */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`);
}

/** Resources the scheduler tracks by name: extended, hugepages, prefixed native, attachable volumes. */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    isHugePageResourceName(name) ||
    isPrefixedNativeResource(name) ||
    isAttachableVolumeResourceName(name)
  );
}
