/**
 * `v1` Secret: sensitive keys and values (passwords, tokens, certificates),
 * stored base64-encoded as Kubernetes serves them.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { base64Bytes, base64Map, encodeBase64, immutableDataIssues, keyIssues, sizeIssues } from './configData';

/** The secret types Kubernetes defines, with the keys each requires. */
export const SecretType = {
  Opaque: 'Opaque',
  ServiceAccountToken: 'kubernetes.io/service-account-token',
  DockerConfigJson: 'kubernetes.io/dockerconfigjson',
  BasicAuth: 'kubernetes.io/basic-auth',
  SSHAuth: 'kubernetes.io/ssh-auth',
  TLS: 'kubernetes.io/tls',
} as const;

/**
 * A Secret's top-level fields. `data` values are base64; `stringData` is
 * write-only plain text, merged into `data` (and winning over it) when the
 * secret is written, never stored; `type` defaults to `Opaque`.
 */
export const secretFieldsSchema = z.object({
  type: z.string().default(SecretType.Opaque),
  data: base64Map.exactOptional(),
  stringData: z.record(z.string(), z.string()).exactOptional(),
  immutable: z.boolean().exactOptional(),
});

type SecretFields = z.output<typeof secretFieldsSchema>;

/** Moves `stringData` into `data`, base64-encoding each value, as the API server's conversion does. */
function mergeStringData<T extends SecretFields>(secret: T): T {
  if (secret.stringData === undefined) return secret;
  const { stringData, ...rest } = secret;
  const data: Record<string, string> = { ...rest.data };
  for (const [key, value] of Object.entries(stringData)) data[key] = encodeBase64(value);
  return { ...rest, data } as T;
}

const required = (key: string): FieldIssue => ({ path: `data[${key}]`, message: 'Required value' });

function typeIssues(secret: SecretFields): FieldIssue[] {
  const data = secret.data ?? {};
  const has = (key: string) => key in data;
  switch (secret.type) {
    case SecretType.TLS:
      return ['tls.crt', 'tls.key'].filter((key) => !has(key)).map(required);
    case SecretType.DockerConfigJson: {
      const value = data['.dockerconfigjson'];
      if (value === undefined) return [required('.dockerconfigjson')];
      try {
        JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0))));
        return [];
      } catch {
        return [{ path: 'data[.dockerconfigjson]', message: 'must be valid JSON' }];
      }
    }
    case SecretType.BasicAuth:
      return has('username') || has('password') ? [] : [required('username'), required('password')];
    case SecretType.SSHAuth:
      return has('ssh-privatekey') ? [] : [required('ssh-privatekey')];
    default:
      return [];
  }
}

function secretIssues(secret: SecretFields): FieldIssue[] {
  let bytes = 0;
  for (const value of Object.values(secret.data ?? {})) bytes += base64Bytes(value);
  return [...keyIssues('data', secret.data), ...typeIssues(secret), ...sizeIssues('data', bytes)];
}

/**
 * The Secret kind. Keys are config keys, values base64 and at most 1 MiB in
 * all; the types `kubernetes.io/tls` (`tls.crt`, `tls.key`),
 * `kubernetes.io/dockerconfigjson` (`.dockerconfigjson`, JSON),
 * `kubernetes.io/basic-auth` (`username` or `password`) and
 * `kubernetes.io/ssh-auth` (`ssh-privatekey`) require their keys. `type`
 * never changes; `immutable` works as on ConfigMaps. `type` is selectable.
 *
 * @example
 * ```ts
 * const secret = await store.create(Secret, {
 *   metadata: { name: 'db', namespace: 'default' },
 *   stringData: { password: 's3cret' },
 * });
 * secret.data; // { password: 'czNjcmV0' }, and no stringData
 * ```
 */
export const Secret = defineResource({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
  root: secretFieldsSchema,
  fields: { type: { get: (secret) => secret.type } },
  strategy: {
    prepareForCreate: mergeStringData,
    prepareForUpdate: (_old, next) => mergeStringData(next),
    validate: secretIssues,
    validateUpdate: (old, next) => [
      ...(old.type === next.type ? [] : [{ path: 'type', message: 'field is immutable' }]),
      ...immutableDataIssues(old, next, ['data']),
      ...secretIssues(next),
    ],
  },
});
export type Secret = ResourceOf<typeof Secret>;
