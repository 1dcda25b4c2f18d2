/** `keelson log history`: every version of one object, each with what it changed. */
import { type HistoryEntry, type KubeObject, NotFoundError, type ResourceType } from '@keelson/core';
import type { EventLog } from '@keelson/eventlog';
import { replayLog } from '@keelson/testing';
import { formatPatch } from './formatPatch';
import { knownTypes, resourceName } from './kinds';

/** Fields every write changes; hidden unless asked for, so a version shows what the writer meant to change. */
const BOOKKEEPING = /^\/metadata\/(resourceVersion|managedFields)(\/|$)/;

/** One version as `log history --json` prints it. */
export interface ObjectVersion {
  revision: number;
  type: HistoryEntry<KubeObject>['type'];
  actor: string;
  reason: string | null;
  patch: HistoryEntry<KubeObject>['patch'];
}

/** Where to find the object, and how much of each patch to keep. */
export interface HistoryQuery {
  type: ResourceType;
  name: string;
  /** For a namespaced kind (default `default`); ignored for a cluster-scoped one. */
  namespace?: string | undefined;
  /** Keep `metadata.resourceVersion` and `metadata.managedFields` changes. */
  allFields?: boolean;
}

/** How the object is named in messages: `deployments.apps "web" in namespace "default"`. */
export function describeObject(type: ResourceType, name: string, namespace: string | undefined): string {
  return `${resourceName(type)} "${name}"${type.namespaced ? ` in namespace "${namespace}"` : ''}`;
}

/**
 * Every version of the object in `log`, oldest first, each paired with the
 * version before it (`null` for a creation).
 *
 * @throws {NotFoundError} when the log has no entry for the object.
 */
export async function objectHistory(
  log: EventLog,
  query: HistoryQuery,
): Promise<{ version: ObjectVersion; before: KubeObject | null }[]> {
  const namespace = query.type.namespaced ? (query.namespace ?? 'default') : undefined;
  const store = await replayLog(log, { types: knownTypes });
  const out: { version: ObjectVersion; before: KubeObject | null }[] = [];
  try {
    let before: KubeObject | null = null;
    for await (const entry of store.history(query.type, query.name, { namespace })) {
      const patch = query.allFields ? entry.patch : entry.patch.filter((op) => !BOOKKEEPING.test(op.path));
      out.push({
        version: {
          revision: entry.revision,
          type: entry.type,
          actor: entry.actor,
          reason: entry.reason ?? null,
          patch,
        },
        before: entry.type === 'ADDED' ? null : before,
      });
      before = entry.object;
    }
  } finally {
    await store.close();
  }
  if (out.length === 0) {
    throw new NotFoundError(
      `${describeObject(query.type, query.name, namespace)} has no entries in the log; check the name and --namespace`,
    );
  }
  return out;
}

/** The versions as `log history` prints them: a header line per version, its changes indented below. */
export function formatHistory(versions: readonly { version: ObjectVersion; before: KubeObject | null }[]): string[] {
  const lines: string[] = [];
  for (const { version, before } of versions) {
    const reason = version.reason === null ? '' : `  reason: ${version.reason}`;
    lines.push(`revision ${version.revision}  ${version.type.padEnd(8)}  by ${version.actor}${reason}`);
    if (version.type === 'ADDED') lines.push('    (created)');
    else if (version.type === 'DELETED') lines.push('    (deleted)');
    else if (version.patch.length === 0) lines.push('    (no changes)');
    else for (const line of formatPatch(version.patch, before)) lines.push(`    ${line}`);
  }
  return lines;
}
