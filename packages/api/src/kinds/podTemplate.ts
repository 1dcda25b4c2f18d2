import { z } from 'zod';
import { podSpecSchema } from './podSpec';
import { labelMap, stringMap } from './primitives';

/**
 * A pod template, as workloads embed it: the labels and annotations of the
 * pods they create, and their spec.
 */
export const podTemplateSpecSchema = z.object({
  metadata: z
    .preprocess(
      withoutNullTimestamp,
      z.object({ labels: labelMap.exactOptional(), annotations: stringMap.exactOptional() }),
    )
    .prefault({}),
  spec: podSpecSchema,
});

/** A pod template as stored. */
export type PodTemplateSpec = z.output<typeof podTemplateSpecSchema>;

/**
 * Kubernetes clients serialize a template's empty creationTimestamp as
 * `null` (kubectl's `rollout undo` sends it back so); it means "not set",
 * so it is dropped rather than reported as an unknown field.
 */
function withoutNullTimestamp(metadata: unknown): unknown {
  if (typeof metadata !== 'object' || metadata === null || !('creationTimestamp' in metadata)) return metadata;
  const { creationTimestamp, ...rest } = metadata as Record<string, unknown>;
  return creationTimestamp === null ? rest : metadata;
}
