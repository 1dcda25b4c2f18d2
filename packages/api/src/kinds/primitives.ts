/**
 * Field types the built-in kinds share: Kubernetes' integer widths, ports,
 * timestamps, label maps and resource quantities, each with the rule the
 * API server applies to it.
 */
import { invalidName, labelKeyProblems, labelValueProblems } from '@keelson/core';
import { z } from 'zod';
import { parseQuantity, type Quantity } from '../quantity/index';

/** A Go `int32` field. */
export const int32 = z.int32();

/** A Go `int64` field (JavaScript's safe integers, which cover every realistic value). */
export const int64 = z.int();

/** A count that may not be negative (replicas, thresholds, seconds). */
export const nonNegativeInt32 = z.int32().min(0, { error: 'must be greater than or equal to 0' });

/** A TCP/UDP port number. */
export const portNumber = z
  .int()
  .min(1, { error: 'must be between 1 and 65535, inclusive' })
  .max(65535, { error: 'must be between 1 and 65535, inclusive' });

/** Why `name` is not an IANA service name (a named port such as `http`), or undefined. */
export function invalidPortName(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return 'must be no more than 15 characters';
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) {
    return "must contain only lower-case alphanumeric characters (a-z, 0-9) or '-', and start and end with an alphanumeric";
  }
  if (name.includes('--')) return "must not contain consecutive hyphens ('--')";
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  return undefined;
}

/** A port's name: an IANA service name (`http`, `metrics`). */
export const portName = z.string().superRefine((name, ctx) => {
  const problem = invalidPortName(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Kubernetes' `IntOrString` for ports: a number, or the name of a container port. */
export const portNumberOrName = z.union([z.int(), z.string()]).superRefine((port, ctx) => {
  const problem =
    typeof port === 'number'
      ? port < 1 || port > 65535
        ? 'must be between 1 and 65535, inclusive'
        : undefined
      : invalidPortName(port);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Kubernetes' `IntOrString` for rollout bounds: a count (`1`) or a percentage (`'25%'`). */
export const intOrPercent = z.union([z.int32(), z.string()]).superRefine((value, ctx) => {
  if (typeof value === 'number') {
    if (value < 0) ctx.addIssue({ code: 'custom', message: 'must be greater than or equal to 0' });
  } else if (!/^[0-9]+%$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%')",
    });
  }
});

/** The value of an {@link intOrPercent} out of `total`, rounding percentages up or down. */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const percent = Number(value.slice(0, -1));
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** The network protocol of a port. */
export const protocol = z.enum(['TCP', 'UDP', 'SCTP']);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A `metav1.Time`: an RFC 3339 timestamp such as `2026-01-01T00:00:00Z`. */
export const time = z.string().regex(RFC3339, { error: 'must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z' });

/**
 * A `metav1.MicroTime`: an RFC 3339 timestamp kept to the microsecond.
 * Fractions are padded or cut to six digits, as Kubernetes writes them:
 * `2026-01-01T00:00:00Z` is stored as `2026-01-01T00:00:00.000000Z`.
 */
export const microTime = time.transform((text) => {
  const match = /^(.{19})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) return text;
  const [, seconds = '', fraction = '', zone = ''] = match;
  return `${seconds}.${fraction.padEnd(6, '0').slice(0, 6)}${zone}`;
});

/**
 * Formats milliseconds since the epoch as a `MicroTime` (UTC, six fraction digits).
 *
 * @example
 * ```ts
 * formatMicroTime(Date.UTC(2026, 0, 1)); // '2026-01-01T00:00:00.000000Z'
 * ```
 */
export function formatMicroTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`;
}

/** A DNS-1123 label such as a container or volume name. */
export const dnsLabel = z.string().superRefine((name, ctx) => {
  const problem = invalidName(name, 'label');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A DNS-1123 subdomain such as a node name. */
export const dnsSubdomain = z.string().superRefine((name, ctx) => {
  const problem = invalidName(name, 'subdomain');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A label map (`nodeSelector`, a template's labels, a Service's selector), keys and values checked. */
export const labelMap = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    for (const problem of [...labelKeyProblems(key), ...labelValueProblems(value)]) {
      ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  }
});

/** A free-form string map (annotations). */
export const stringMap = z.record(z.string(), z.string());

/**
 * A resource quantity (`500m`, `1Gi`, or a plain number as YAML writes
 * `cpu: 2`), checked with {@link parseQuantity} and stored in Kubernetes'
 * canonical form, rounded up to the milli unit as the API server does for
 * resource lists: `0.5` → `500m`, `1024Mi` → `1Gi`.
 */
export const quantity = z.union([z.string(), z.number()]).transform((value, ctx) => {
  let parsed: Quantity;
  try {
    parsed = parseQuantity(String(value));
  } catch {
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  const milli = parseQuantity(`${parsed.milliValue()}m`);
  return (milli.cmp(parsed) === 0 ? parsed : milli).toString();
});

/** A `ResourceList`: resource name (`cpu`, `memory`, `nvidia.com/gpu`) to quantity. */
export const resourceList = z.record(z.string().min(1), quantity);

/** Kubernetes' `ObjectReference`, pointing at another object (events, endpoints). */
export const objectReference = z.object({
  kind: z.string().exactOptional(),
  namespace: z.string().exactOptional(),
  name: z.string().exactOptional(),
  uid: z.string().exactOptional(),
  apiVersion: z.string().exactOptional(),
  resourceVersion: z.string().exactOptional(),
  fieldPath: z.string().exactOptional(),
});

/** A reference to an object in the same namespace, by name. */
export const localObjectReference = z.object({ name: z.string().exactOptional() });

/**
 * A closed set of strings, refused with Kubernetes' `NotSupported` message:
 * `Unsupported value: "Never": supported values: "Delete", "Retain"`.
 */
export function supportedValues<const T extends readonly [string, ...string[]]>(values: T) {
  const list = [...values]
    .sort()
    .map((value) => `"${value}"`)
    .join(', ');
  return z.enum(values, {
    error: (issue) => `Unsupported value: ${JSON.stringify(issue.input)}: supported values: ${list}`,
  });
}
