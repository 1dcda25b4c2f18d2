import type { ResourceType } from '../resource/defineResource';

/** The log entry `type` of a kind's objects: `<group or "core">/<plural>`, like Kubernetes' etcd prefixes. */
export function typeName(type: ResourceType): string {
  return `${type.group === '' ? 'core' : type.group}/${type.plural}`;
}

/** The log key of one object. */
export function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${typeName(type)}/${namespace}/${name}` : `${typeName(type)}/${name}`;
}

/** RFC 3339 at second precision, as Kubernetes serialises metav1.Time. */
export function formatTime(ms: number): string {
  // Writes come many to a second: the last second's text is kept and reused.
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = `${new Date(ms).toISOString().slice(0, 19)}Z`;
    lastSecond = second;
  }
  return lastText;
}

let lastSecond = Number.NaN;
let lastText = '';

/** `plural.group` (or `plural`), as Kubernetes names a resource in messages. */
export function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}
