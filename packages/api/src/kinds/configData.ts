/**
 * Rules ConfigMaps and Secrets share: config keys, base64 values, the 1 MiB
 * size limit and `immutable`, as Kubernetes' `ValidateConfigMap` and
 * `ValidateSecret` apply them.
 */
import type { FieldIssue } from '@keelson/core';
import { z } from 'zod';
import { jsonEqual } from './workload';

/** The most bytes a ConfigMap's or Secret's values may add up to (1 MiB). */
export const MAX_CONFIG_DATA_BYTES = 1024 * 1024;

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** Why `key` is not a config key (a file name in a mounted volume), or undefined. */
export function configKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'must be no more than 253 characters';
  if (!CONFIG_KEY.test(key)) {
    return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
  }
  if (key === '.') return "must not be '.'";
  if (key === '..') return "must not be '..'";
  if (key.startsWith('..')) return "must not start with '..'";
  return undefined;
}

const BASE64_CHAR = /[A-Za-z0-9+/]/;

/**
 * Why `text` is not standard, padded base64 (as Go's `encoding/base64` reads
 * a `[]byte` field), or undefined.
 */
export function base64Problem(text: string): string | undefined {
  const body = text.replace(/={1,2}$/, '');
  for (let i = 0; i < body.length; i++) {
    if (!BASE64_CHAR.test(body.charAt(i))) return `illegal base64 data at input byte ${i}`;
  }
  if (text.length % 4 !== 0 || body.length % 4 === 1) return `illegal base64 data at input byte ${text.length}`;
  return undefined;
}

/** How many bytes a (valid) base64 string decodes to. */
export function base64Bytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** The UTF-8 bytes of `text`, base64-encoded (as a `stringData` value becomes a `data` value). */
export function encodeBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A map of base64-encoded values (`binaryData`, a Secret's `data`). */
export const base64Map = z.record(z.string(), z.string()).superRefine((values, ctx) => {
  for (const [key, value] of Object.entries(values)) {
    const problem = base64Problem(value);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
  }
});

/** Issues for the keys of a data map, named `field[key]`. */
export function keyIssues(field: string, values: Readonly<Record<string, string>> | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(values ?? {})) {
    const problem = configKeyProblem(key);
    if (problem) issues.push({ path: `${field}[${key}]`, message: problem });
  }
  return issues;
}

/** The issue for values over {@link MAX_CONFIG_DATA_BYTES}, at `path`, if any. */
export function sizeIssues(path: string, bytes: number): FieldIssue[] {
  return bytes > MAX_CONFIG_DATA_BYTES
    ? [{ path, message: `Too long: may not be more than ${MAX_CONFIG_DATA_BYTES} bytes` }]
    : [];
}

const IMMUTABLE = 'Forbidden: field is immutable when `immutable` is set';

/**
 * Once `immutable` is true it stays true and the named data fields stay as
 * they are (`ValidateConfigMapUpdate`, `ValidateSecretUpdate`).
 */
export function immutableDataIssues<T extends { immutable?: boolean | undefined }>(
  old: T,
  next: T,
  fields: readonly (keyof T & string)[],
): FieldIssue[] {
  if (old.immutable !== true) return [];
  const issues: FieldIssue[] = [];
  if (next.immutable !== true) issues.push({ path: 'immutable', message: IMMUTABLE });
  for (const field of fields) {
    if (!jsonEqual(old[field] ?? {}, next[field] ?? {})) issues.push({ path: field, message: IMMUTABLE });
  }
  return issues;
}
