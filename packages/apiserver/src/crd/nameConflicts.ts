import type { ResourceType } from '@keelson/core';
import type { CrdNames } from './resourceTypeFromCrd';

/** Why a kind's names cannot be accepted: the condition reason (`PluralConflict`, …) and message. */
export interface NameConflict {
  reason: string;
  message: string;
}

/**
 * Whether a CRD's kind would clash with what is served already, as
 * Kubernetes' naming controller decides within an API group: the plural and
 * kind against every other kind of the store, the singular, short names and
 * listKind against the other CRDs' names. `others` are the store's kinds
 * without this CRD's own; `otherNames` the names of the other served CRDs
 * of the same group.
 */
export function nameConflict(
  type: ResourceType,
  names: CrdNames,
  others: readonly ResourceType[],
  otherNames: readonly CrdNames[],
): NameConflict | undefined {
  const taken = (name: string): string => `"${name}" is already in use`;
  for (const other of others) {
    if (other.group !== type.group) continue;
    if (other.plural === type.plural) return { reason: 'PluralConflict', message: taken(type.plural) };
    if (other.kind === type.kind) return { reason: 'KindConflict', message: taken(type.kind) };
  }
  for (const other of otherNames) {
    const used = new Set([other.plural, other.singular, ...other.shortNames]);
    if (used.has(names.singular)) return { reason: 'SingularConflict', message: taken(names.singular) };
    const short = names.shortNames.find((s) => used.has(s));
    if (short !== undefined) return { reason: 'ShortNamesConflict', message: taken(short) };
    if (other.listKind === names.listKind) return { reason: 'ListKindConflict', message: taken(names.listKind) };
  }
  return undefined;
}
