/** `keelson log replay`: the objects as they stood at one revision, as a YAML stream. */
import { InvalidError, type KubeObject, type ResourceType } from '@keelson/core';
import type { EventLog } from '@keelson/eventlog';
import { replayLog } from '@keelson/testing';
import { stringify } from 'yaml';
import { compactedBefore } from './inspect';
import { knownTypes } from './kinds';

/** Which objects to rebuild. */
export interface ReplayQuery {
  /** The revision (inclusive) the objects are shown as of. */
  until: number;
  /** Only this kind (default every known kind). */
  type?: ResourceType | undefined;
  /** Only namespaced objects in this namespace (cluster-scoped ones are left out). */
  namespace?: string | undefined;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The objects of `log` as of `query.until`, sorted by kind, namespace and name.
 *
 * @throws {InvalidError} naming `--until` when the revision is past the head or inside the compacted range.
 */
export async function objectsAt(
  log: EventLog,
  query: ReplayQuery,
): Promise<{ revision: number; objects: KubeObject[] }> {
  const head = await log.head();
  if (query.until > head) {
    throw new InvalidError(
      `--until ${query.until} is past the log's head (revision ${head}); pass a revision <= ${head}`,
    );
  }
  const compacted = await compactedBefore(log);
  if (compacted !== null && query.until < compacted) {
    throw new InvalidError(
      `--until ${query.until} is before revision ${compacted}, where the log was compacted (older states are gone); pass a revision >= ${compacted}`,
    );
  }
  const store = await replayLog(log, { until: query.until, types: knownTypes });
  try {
    const types = [...(query.type ? [query.type] : knownTypes)].sort((a, b) => compare(a.kind, b.kind));
    const objects: KubeObject[] = [];
    for (const type of types) {
      if (query.namespace !== undefined && !type.namespaced) continue;
      const listed = await store.list(type, query.namespace === undefined ? {} : { namespace: query.namespace });
      // Listed objects come sorted by namespace and name already.
      objects.push(...listed.items);
    }
    return { revision: store.revision, objects };
  } finally {
    await store.close();
  }
}

/** `objects` as a multi-document YAML stream, headed by a comment saying what it is. */
export function formatYamlStream(objects: readonly KubeObject[], revision: number): string {
  const header = `# ${objects.length} object${objects.length === 1 ? '' : 's'} as of revision ${revision}\n`;
  return header + objects.map((object) => `---\n${stringify(object)}`).join('');
}
