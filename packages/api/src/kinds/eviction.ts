/**
 * `policy/v1` Eviction: a request to delete a pod that honours its
 * disruption budget. It is posted to a pod's `eviction` subresource and
 * never stored.
 */
import { type FieldIssue, ValidationError } from '@keelson/core';
import { z } from 'zod';

/** Kubernetes' `DeleteOptions`, as far as an eviction passes them on to the pod's deletion. */
export const deleteOptionsSchema = z.object({
  /** Seconds the pod gets to shut down; default its `terminationGracePeriodSeconds`. */
  gracePeriodSeconds: z.int().min(0, { error: 'must be greater than or equal to 0' }).exactOptional(),
  /** Delete only this very pod (uid) or version (resourceVersion). */
  preconditions: z
    .object({ uid: z.string().exactOptional(), resourceVersion: z.string().exactOptional() })
    .exactOptional(),
  propagationPolicy: z.enum(['Orphan', 'Background', 'Foreground']).exactOptional(),
  /** `['All']`: check everything, write nothing. */
  dryRun: z.array(z.literal('All', { error: 'Unsupported value: supported values: "All"' })).exactOptional(),
});

/** The eviction of one pod: its name and namespace, and how to delete it. */
export const evictionSchema = z.object({
  apiVersion: z.literal('policy/v1').exactOptional(),
  kind: z.literal('Eviction').exactOptional(),
  metadata: z.object({
    name: z.string().min(1, { error: 'name or generateName is required' }),
    namespace: z.string().exactOptional(),
  }),
  deleteOptions: deleteOptionsSchema.exactOptional(),
});

/** A parsed eviction. */
export type Eviction = z.output<typeof evictionSchema>;

/** What an eviction is written as. */
export type EvictionInput = z.input<typeof evictionSchema>;

/** Kubernetes' `DeleteOptions` on an eviction. */
export type EvictionDeleteOptions = z.output<typeof deleteOptionsSchema>;

/**
 * Checks an eviction at the boundary where it enters.
 *
 * @throws {ValidationError} naming every bad field (e.g. `deleteOptions.gracePeriodSeconds`).
 */
export function parseEviction(input: unknown): Eviction {
  const result = evictionSchema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.reduce<string>(
      (path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${String(key)}` : String(key)),
      '',
    ),
    message: issue.message,
  }));
  const name = (input as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
  throw new ValidationError('Eviction', typeof name === 'string' ? name : '', issues);
}
