import { z } from 'zod';

/**
 * The zod schemas of `apiextensions.k8s.io/v1` CustomResourceDefinition. They
 * accept the shapes loosely (missing strings default to '') so that
 * `validateCrd` can report what is missing the way Kubernetes does
 * (`spec.names.plural: Required value`) instead of a type error.
 */

/** Any JSON object: an `openAPIV3Schema`, kept as written. */
const jsonObject = z.record(z.string(), z.unknown());

/** `spec.names` and `status.acceptedNames`. */
export const crdNamesSchema = z.object({
  plural: z.string().default(''),
  singular: z.string().optional(),
  kind: z.string().default(''),
  listKind: z.string().optional(),
  shortNames: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
});

const scaleSchema = z.object({
  specReplicasPath: z.string().default(''),
  statusReplicasPath: z.string().default(''),
  labelSelectorPath: z.string().optional(),
});

const printerColumnSchema = z.object({
  name: z.string().default(''),
  type: z.string().default(''),
  jsonPath: z.string().default(''),
  description: z.string().optional(),
  format: z.string().optional(),
  priority: z.number().int().optional(),
});

const versionSchema = z.object({
  name: z.string().default(''),
  served: z.boolean().default(false),
  storage: z.boolean().default(false),
  deprecated: z.boolean().optional(),
  deprecationWarning: z.string().optional(),
  schema: z.object({ openAPIV3Schema: jsonObject.optional() }).optional(),
  subresources: z
    .object({
      status: z.object({}).optional(),
      scale: scaleSchema.optional(),
    })
    .optional(),
  additionalPrinterColumns: z.array(printerColumnSchema).optional(),
  selectableFields: z.array(z.object({ jsonPath: z.string() })).optional(),
});

/** `spec` of a CustomResourceDefinition. */
export const crdSpecSchema = z.object({
  group: z.string().default(''),
  names: crdNamesSchema.default({ plural: '', kind: '' }),
  scope: z.string().default(''),
  versions: z.array(versionSchema).default([]),
  conversion: z
    .object({ strategy: z.string().default('None'), webhook: z.record(z.string(), z.unknown()).optional() })
    .optional(),
  preserveUnknownFields: z.boolean().optional(),
});

const conditionSchema = z.object({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  lastTransitionTime: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** `status` of a CustomResourceDefinition, written by {@link serveCustomResources}. */
export const crdStatusSchema = z.object({
  conditions: z.array(conditionSchema).optional(),
  acceptedNames: crdNamesSchema.optional(),
  storedVersions: z.array(z.string()).optional(),
});

/** `spec.names` of a CustomResourceDefinition. */
export type CrdNamesSpec = z.output<typeof crdNamesSchema>;
/** One entry of `spec.versions`. */
export type CrdVersion = z.output<typeof versionSchema>;
/** One `additionalPrinterColumns` entry as stored. */
export type CrdPrinterColumn = z.output<typeof printerColumnSchema>;
/** `spec` of a CustomResourceDefinition. */
export type CrdSpec = z.output<typeof crdSpecSchema>;
/** `status` of a CustomResourceDefinition. */
export type CrdStatus = z.output<typeof crdStatusSchema>;
/** One `status.conditions` entry (`NamesAccepted`, `Established`, `Terminating`). */
export type CrdCondition = z.output<typeof conditionSchema>;
