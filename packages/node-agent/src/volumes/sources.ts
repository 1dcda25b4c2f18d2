/**
 * What configMap, secret, downwardAPI and projected volumes contain, as the
 * kubelet's plugins compute their payloads: keys (or `items`) as files with
 * `defaultMode` or the item's `mode`, `optional` sources, downward API
 * fields in the kubelet's format.
 */
import { ConfigMap, type Pod, Secret, type Volume } from '@keelson/api';
import { isKeelsonError, type Store } from '@keelson/core';
import type { Payload } from './atomicWriter';

/** A volume that cannot be set up (yet); the message follows `MountVolume.SetUp failed for volume "x" : `. */
export class VolumeSetUpError extends Error {}

type KeyToPath = { key: string; path: string; mode?: number };

function decodeBase64(value: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
}

async function getOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return undefined;
    throw error;
  }
}

/** Keys as files: every key, or just `items` (a missing item key fails unless `optional`). */
function project(
  data: Record<string, string>,
  items: readonly KeyToPath[] | undefined,
  mode: number,
  optional: boolean,
  missingKey: (key: string) => string,
  out: Payload,
): void {
  if (items === undefined) {
    for (const key of Object.keys(data).sort()) out.set(key, { content: data[key] as string, mode });
    return;
  }
  for (const item of items) {
    const content = data[item.key];
    if (content === undefined) {
      if (optional) continue;
      throw new VolumeSetUpError(missingKey(item.key));
    }
    out.set(item.path, { content, mode: item.mode ?? mode });
  }
}

/** The pod's labels or annotations as the kubelet writes them: sorted `key="value"` lines. */
function formatMap(map: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${JSON.stringify(map?.[key])}`)
    .join('\n');
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** The value of a downward API `fieldRef` of a volume. */
export function fieldValue(pod: Pod, fieldPath: string): string {
  const { metadata } = pod;
  switch (fieldPath) {
    case 'metadata.name':
      return metadata.name;
    case 'metadata.namespace':
      return metadata.namespace ?? 'default';
    case 'metadata.uid':
      return metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(metadata.labels);
    case 'metadata.annotations':
      return formatMap(metadata.annotations);
  }
  const subscript = SUBSCRIPT.exec(fieldPath);
  if (subscript !== null) {
    const map = subscript[1] === 'labels' ? metadata.labels : metadata.annotations;
    return map?.[subscript[2] as string] ?? '';
  }
  throw new VolumeSetUpError(`unsupported fieldPath: ${fieldPath}`);
}

type DownwardItem = { path: string; fieldRef?: { fieldPath: string }; mode?: number };

function downward(pod: Pod, items: readonly DownwardItem[] | undefined, mode: number, out: Payload): void {
  for (const item of items ?? []) {
    if (item.fieldRef === undefined) continue;
    out.set(item.path, { content: fieldValue(pod, item.fieldRef.fieldPath), mode: item.mode ?? mode });
  }
}

async function configMapData(store: Store, namespace: string, name: string) {
  const found = await getOrUndefined(() => store.get(ConfigMap, name, { namespace }));
  if (found === undefined) return undefined;
  const data: Record<string, string> = { ...found.data };
  for (const [key, value] of Object.entries(found.binaryData ?? {})) data[key] = decodeBase64(value);
  return data;
}

async function secretData(store: Store, namespace: string, name: string) {
  const found = await getOrUndefined(() => store.get(Secret, name, { namespace }));
  if (found === undefined) return undefined;
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(found.data ?? {})) data[key] = decodeBase64(value);
  return data;
}

const cmKey = (key: string) => `configmap references non-existent config key: ${key}`;
const secretKey = (key: string) => `references non-existent secret key: ${key}`;

/**
 * The payload of a configMap, secret, downwardAPI or projected volume, read
 * from the store now; undefined for other volume types.
 *
 * @throws VolumeSetUpError when a source that is not optional is missing.
 */
export async function payloadOf(store: Store, pod: Pod, volume: Volume): Promise<Payload | undefined> {
  const namespace = pod.metadata.namespace ?? 'default';
  const out: Payload = new Map();
  if (volume.configMap !== undefined) {
    const { name = '', items, defaultMode, optional = false } = volume.configMap;
    const data = await configMapData(store, namespace, name);
    if (data === undefined && !optional) throw new VolumeSetUpError(`configmap "${name}" not found`);
    project(data ?? {}, data === undefined ? [] : items, defaultMode, optional, cmKey, out);
    return out;
  }
  if (volume.secret !== undefined) {
    const { secretName = '', items, defaultMode, optional = false } = volume.secret;
    const data = await secretData(store, namespace, secretName);
    if (data === undefined && !optional) throw new VolumeSetUpError(`secret "${secretName}" not found`);
    project(data ?? {}, data === undefined ? [] : items, defaultMode, optional, secretKey, out);
    return out;
  }
  if (volume.downwardAPI !== undefined) {
    downward(pod, volume.downwardAPI.items, volume.downwardAPI.defaultMode, out);
    return out;
  }
  if (volume.projected === undefined) return undefined;
  const mode = volume.projected.defaultMode;
  for (const source of volume.projected.sources) {
    if (source.configMap !== undefined) {
      const { name = '', items, optional = false } = source.configMap;
      const data = await configMapData(store, namespace, name);
      if (data === undefined && !optional) {
        throw new VolumeSetUpError(`couldn't get configMap ${namespace}/${name}: configmap "${name}" not found`);
      }
      project(data ?? {}, data === undefined ? [] : items, mode, optional, cmKey, out);
    } else if (source.secret !== undefined) {
      const { name = '', items, optional = false } = source.secret;
      const data = await secretData(store, namespace, name);
      if (data === undefined && !optional) {
        throw new VolumeSetUpError(`couldn't get secret ${namespace}/${name}: secret "${name}" not found`);
      }
      project(data ?? {}, data === undefined ? [] : items, mode, optional, secretKey, out);
    } else if (source.downwardAPI !== undefined) downward(pod, source.downwardAPI.items, mode, out);
    else if (source.serviceAccountToken !== undefined) {
      throw new VolumeSetUpError('serviceAccountToken projections are not supported by this node agent');
    }
  }
  return out;
}
