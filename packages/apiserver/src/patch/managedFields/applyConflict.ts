import { ConflictError } from '@keelson/core';

/** A field the applier would change that another manager owns. */
export interface ApplyConflict {
  /** The owning manager's name. */
  manager: string;
  /** The field, as Kubernetes prints it: `.spec.replicas`, `.spec.containers[name="web"].image`. */
  field: string;
  operation?: 'Apply' | 'Update';
  /** The apiVersion the owner wrote with (shown for Update managers). */
  apiVersion?: string;
  subresource?: string;
}

/** A manager as Kubernetes names it in a conflict: `"kubectl" with subresource "scale" using apps/v1`. */
function describeManager(conflict: ApplyConflict): string {
  let text = JSON.stringify(conflict.manager);
  if (conflict.subresource) text += ` with subresource ${JSON.stringify(conflict.subresource)}`;
  if (conflict.operation === 'Update' && conflict.apiVersion) text += ` using ${conflict.apiVersion}`;
  return text;
}

/**
 * Kubernetes' message for apply conflicts, e.g.
 * `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas`;
 * several are grouped by manager, one `- <field>` line each.
 */
export function applyConflictMessage(conflicts: readonly ApplyConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return `Apply failed with 1 conflict: conflict with ${describeManager(only)}: ${only.field}`;
  }
  const groups = new Map<string, string[]>();
  for (const conflict of conflicts) {
    const manager = describeManager(conflict);
    groups.set(manager, [...(groups.get(manager) ?? []), conflict.field]);
  }
  const lines = [...groups.keys()]
    .sort()
    .flatMap((manager) => [`conflicts with ${manager}:`, ...(groups.get(manager) ?? []).map((field) => `- ${field}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/**
 * The 409 a server answers for apply conflicts; the client may re-apply with
 * `force=true` to take the fields over.
 */
export function applyConflictError(conflicts: readonly ApplyConflict[]): ConflictError {
  return new ConflictError(applyConflictMessage(conflicts));
}
