import { z } from 'zod';
import { podSpecSchema } from './podSpec';
import { labelMap, stringMap } from './primitives';

/**
 * A pod template, as workloads embed it: the labels and annotations of the
 * pods they create, and their spec.
 */
export const podTemplateSpecSchema = z.object({
  metadata: z.object({ labels: labelMap.exactOptional(), annotations: stringMap.exactOptional() }).prefault({}),
  spec: podSpecSchema,
});

/** A pod template as stored. */
export type PodTemplateSpec = z.output<typeof podTemplateSpecSchema>;
