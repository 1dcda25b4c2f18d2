/**
 * `v1` ConfigMap: configuration as keys and values, for pods to read as
 * environment variables or files.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { base64Bytes, base64Map, immutableDataIssues, keyIssues, sizeIssues } from './configData';

/**
 * A ConfigMap's top-level fields (it has no spec or status): UTF-8 `data`,
 * base64-encoded `binaryData`, and `immutable`.
 */
export const configMapFieldsSchema = z.object({
  data: z.record(z.string(), z.string()).exactOptional(),
  binaryData: base64Map.exactOptional(),
  immutable: z.boolean().exactOptional(),
});

type ConfigMapFields = z.output<typeof configMapFieldsSchema>;

function configMapIssues(configMap: ConfigMapFields): FieldIssue[] {
  const issues = [...keyIssues('data', configMap.data), ...keyIssues('binaryData', configMap.binaryData)];
  let bytes = 0;
  for (const value of Object.values(configMap.data ?? {})) bytes += new TextEncoder().encode(value).length;
  for (const [key, value] of Object.entries(configMap.binaryData ?? {})) {
    bytes += base64Bytes(value);
    if (configMap.data !== undefined && key in configMap.data) {
      issues.push({ path: `data[${key}]`, message: 'duplicate of key present in binaryData' });
    }
  }
  return [...issues, ...sizeIssues('(object)', bytes)];
}

/**
 * The ConfigMap kind. Keys are config keys (`[-._a-zA-Z0-9]+`, at most 253
 * characters), no key is in both `data` and `binaryData`, and the values add
 * up to at most 1 MiB. Once `immutable` is true, `data`, `binaryData` and
 * `immutable` itself may not change (the object may only be deleted).
 *
 * @example
 * ```ts
 * const cm = await store.create(ConfigMap, {
 *   metadata: { name: 'web-config', namespace: 'default' },
 *   data: { 'nginx.conf': 'worker_processes 1;', LOG_LEVEL: 'info' },
 * });
 * cm.data?.LOG_LEVEL; // 'info'
 * ```
 */
export const ConfigMap = defineResource({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
  root: configMapFieldsSchema,
  strategy: {
    validate: configMapIssues,
    validateUpdate: (old, next) => [
      ...immutableDataIssues(old, next, ['data', 'binaryData']),
      ...configMapIssues(next),
    ],
  },
});
export type ConfigMap = ResourceOf<typeof ConfigMap>;
