/**
 * A StatefulSet's ControllerRevisions, as Kubernetes'
 * `getStatefulSetRevisions`, `controller/history` and `truncateHistory`
 * keep them: every distinct pod template is one revision named
 * `<set>-<hash>`; the current template's revision is the update revision
 * (re-numbered when the set rolls back to an older template); a hash
 * collision bumps `collisionCount`; revisions no pod uses beyond
 * `revisionHistoryLimit` are deleted, oldest first.
 */
import { ControllerRevision, type PodTemplateSpec, type StatefulSet } from '@keelson/api';
import type { Client } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { CONTROLLER_REVISION_HASH_LABEL } from '../daemonset/constants';
import { canonicalJson, safeEncodeString } from '../deployment/podTemplateHash';
import { controllerRefTo } from '../shared/index';
import { MAX_REVISION_NAME_PREFIX } from './constants';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1 (multiply, then xor), as Go's `fnv.New32` that `HashControllerRevision` uses. */
function fnv1(bytes: Uint8Array, hash = FNV_OFFSET): number {
  let h = hash >>> 0;
  for (const byte of bytes) h = (Math.imul(h, FNV_PRIME) ^ byte) >>> 0;
  return h;
}

/** `getPatch`: what a revision stores — the set's template, to be applied by replacing the whole template. */
export function revisionData(set: StatefulSet): Record<string, unknown> {
  return { spec: { template: { ...set.spec.template, $patch: 'replace' } } };
}

/** `HashControllerRevision`: FNV-1 over the data (canonical JSON) and the collision count's decimal digits. */
export function hashRevision(data: unknown, collisionCount: number | undefined): string {
  const encoder = new TextEncoder();
  let hash = fnv1(encoder.encode(canonicalJson(data)));
  if (collisionCount !== undefined) hash = fnv1(encoder.encode(String(collisionCount)), hash);
  return safeEncodeString(String(hash));
}

/** `ControllerRevisionName`: `<set>-<hash>`, the set's name cut to 223 characters. */
export function revisionName(setName: string, hash: string): string {
  return `${setName.slice(0, MAX_REVISION_NAME_PREFIX)}-${hash}`;
}

/** `ApplyRevision`: the set's template as the revision recorded it. */
export function templateOf(revision: ControllerRevision): PodTemplateSpec {
  const template = (revision.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (template === undefined) throw new Error(`controller revision ${revision.metadata.name} has no spec.template`);
  const { $patch: _patch, ...rest } = template;
  return rest as unknown as PodTemplateSpec;
}

/** `SortControllerRevisions`: by revision number, then creation time, then name. */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort(
    (a, b) =>
      a.revision - b.revision ||
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
}

function sameData(a: ControllerRevision, data: unknown): boolean {
  return canonicalJson(a.data) === canonicalJson(data);
}

/** The set's current and update revisions, and the collision count that named the update revision. */
export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
}

/**
 * `getStatefulSetRevisions`: finds or makes the revision of the set's
 * template (`revisions` are the set's own, sorted), and the revision
 * `status.currentRevision` names (the update revision when none does).
 */
export async function setRevisions(
  client: Client,
  set: StatefulSet,
  revisions: readonly ControllerRevision[],
): Promise<SetRevisions> {
  let collisionCount = set.status?.collisionCount ?? 0;
  const data = revisionData(set);
  const next = (revisions.at(-1)?.revision ?? 0) + 1;
  const equal = revisions.filter((r) => sameData(r, data));
  const last = revisions.at(-1);
  let update: ControllerRevision;
  if (equal.length > 0 && last !== undefined && equal.at(-1) === last) {
    update = last;
  } else if (equal.length > 0) {
    const found = equal.at(-1) as ControllerRevision;
    update = await client.patch(
      ControllerRevision,
      found.metadata.name,
      (draft) => {
        draft.revision = next;
        return draft;
      },
      { namespace: set.metadata.namespace },
    );
  } else {
    for (;;) {
      const hash = hashRevision(data, collisionCount);
      const name = revisionName(set.metadata.name, hash);
      try {
        update = await client.create(ControllerRevision, {
          metadata: {
            name,
            namespace: set.metadata.namespace,
            labels: { ...set.spec.template.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
            ownerReferences: [controllerRefTo(set)],
          },
          data,
          revision: next,
        } as unknown as ControllerRevision);
        break;
      } catch (error) {
        if (!isKeelsonError(error, 'AlreadyExists')) throw error;
        const existing = await client.get(ControllerRevision, name, { namespace: set.metadata.namespace });
        if (sameData(existing, data)) {
          update = existing;
          break;
        }
        collisionCount++;
      }
    }
  }
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

/**
 * `truncateHistory`: the revisions to delete — those neither current, nor
 * the update revision, nor used by any pod, beyond the newest `limit`.
 */
export function revisionsToTruncate(
  revisions: readonly ControllerRevision[],
  live: ReadonlySet<string>,
  limit: number,
): ControllerRevision[] {
  const history = revisions.filter((r) => !live.has(r.metadata.name));
  return history.length <= limit ? [] : history.slice(0, history.length - limit);
}
