/**
 * The annotations a Deployment keeps on its ReplicaSets, as Kubernetes'
 * `SetNewReplicaSetAnnotations` and `SetReplicasAnnotations` keep them:
 * the Deployment's own annotations (less the ones that belong to one
 * object), the revision and its history, and the sizes the ReplicaSet was
 * last given, which tell a scaling event apart from a rollout.
 */
import {
  ANNOTATIONS_NOT_COPIED,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  MAX_REVISION_HISTORY_CHARS,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
} from './constants';

/** A string map as objects carry it. */
export type Annotations = Readonly<Record<string, string>>;

/** What an annotation update produced: the new map and whether it differs. */
export interface AnnotationUpdate {
  annotations: Record<string, string>;
  changed: boolean;
}

const INT32 = /^[+-]?\d+$/;

/** An annotation read as a 32-bit integer, as `getIntFromAnnotation` reads it; `undefined` if absent or not one. */
export function intAnnotation(annotations: Annotations | undefined, key: string): number | undefined {
  const text = annotations?.[key];
  if (text === undefined || !INT32.test(text)) return undefined;
  const value = Number(text);
  return value >= -2_147_483_648 && value <= 2_147_483_647 ? value : undefined;
}

/** Copies the Deployment's annotations onto the ReplicaSet's, but for {@link ANNOTATIONS_NOT_COPIED}. */
export function copyDeploymentAnnotations(
  deployment: Annotations | undefined,
  rs: Annotations | undefined,
): AnnotationUpdate {
  const annotations = { ...rs };
  let changed = false;
  for (const [key, value] of Object.entries(deployment ?? {})) {
    if (ANNOTATIONS_NOT_COPIED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return { annotations, changed };
}

/** Whether `desired-replicas` / `max-replicas` differ from these sizes (`ReplicasAnnotationsNeedUpdate`). */
export function replicasAnnotationsNeedUpdate(rs: Annotations | undefined, desired: number, max: number): boolean {
  return rs?.[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || rs?.[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** The map with `desired-replicas` and `max-replicas` set (`SetReplicasAnnotations`). */
export function withReplicasAnnotations(rs: Annotations | undefined, desired: number, max: number): AnnotationUpdate {
  const changed = replicasAnnotationsNeedUpdate(rs, desired, max);
  return {
    annotations: { ...rs, [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) },
    changed,
  };
}

/**
 * Appends `oldRevision` to a `revision-history` list, dropping the oldest
 * entries while the text would be longer than `limit` characters.
 * `undefined` when even alone it does not fit (the history is then left as is).
 */
export function appendRevisionHistory(
  history: string | undefined,
  oldRevision: string,
  limit = MAX_REVISION_HISTORY_CHARS,
): string | undefined {
  if (history === undefined || history === '') return oldRevision;
  const revisions = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > limit && start < revisions.length) {
    total -= (revisions[start]?.length ?? 0) + 1;
    start++;
  }
  if (total > limit) return undefined;
  return [...revisions.slice(start), oldRevision].join(',');
}

/** What {@link newReplicaSetAnnotations} needs to know. */
export interface NewReplicaSetAnnotationsInput {
  /** The Deployment's annotations. */
  deployment: Annotations | undefined;
  /** The ReplicaSet's current annotations. */
  replicaSet: Annotations | undefined;
  /** The revision the new ReplicaSet should carry (max old revision + 1). */
  newRevision: number;
  /** Whether the ReplicaSet exists already (only a new one gets the replicas annotations here). */
  exists: boolean;
  /** `spec.replicas` and `spec.replicas + maxSurge` of the Deployment. */
  desiredReplicas: number;
  maxReplicas: number;
  /** Longest `revision-history` text. */
  historyLimit?: number;
}

/**
 * `SetNewReplicaSetAnnotations`: the Deployment's annotations copied over;
 * the revision raised to `newRevision` if lower (a reused old ReplicaSet
 * gets the new number and remembers its old one in `revision-history`);
 * and, for a ReplicaSet being created, its replicas annotations.
 */
export function newReplicaSetAnnotations(input: NewReplicaSetAnnotationsInput): AnnotationUpdate {
  const copied = copyDeploymentAnnotations(input.deployment, input.replicaSet);
  const annotations = copied.annotations;
  let changed = copied.changed;
  const oldText = annotations[REVISION_ANNOTATION];
  let oldRevision = 0;
  if (oldText !== undefined && oldText !== '') {
    // An unreadable revision is left for a person to fix rather than overwritten.
    if (!INT32.test(oldText)) return { annotations: { ...input.replicaSet }, changed: false };
    oldRevision = Number(oldText);
  }
  if (oldRevision < input.newRevision) {
    annotations[REVISION_ANNOTATION] = String(input.newRevision);
    changed = true;
    if (oldText !== undefined && oldText !== '') {
      const history = appendRevisionHistory(
        annotations[REVISION_HISTORY_ANNOTATION],
        oldText,
        input.historyLimit ?? MAX_REVISION_HISTORY_CHARS,
      );
      if (history !== undefined) annotations[REVISION_HISTORY_ANNOTATION] = history;
    }
  }
  if (!input.exists) {
    const sized = withReplicasAnnotations(annotations, input.desiredReplicas, input.maxReplicas);
    return { annotations: sized.annotations, changed: changed || sized.changed };
  }
  return { annotations, changed };
}
