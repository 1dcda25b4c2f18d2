/**
 * The conditions Kubernetes' namespace controller reports on a terminating
 * namespace, from one sweep of its content.
 */
import type { Condition } from '@keelson/api';
import type { ContentSweep } from './namespaceContent';

/** Condition types, as Kubernetes names them. */
export const NamespaceConditionType = {
  DeletionDiscoveryFailure: 'NamespaceDeletionDiscoveryFailure',
  DeletionGroupVersionParsingFailure: 'NamespaceDeletionGroupVersionParsingFailure',
  DeletionContentFailure: 'NamespaceDeletionContentFailure',
  ContentRemaining: 'NamespaceContentRemaining',
  FinalizersRemaining: 'NamespaceFinalizersRemaining',
} as const;

function listed(counts: Record<string, number>, unit: string): string {
  return Object.keys(counts)
    .sort()
    .map((key) => `${key} has ${counts[key]} ${unit}`)
    .join(', ');
}

/** The five deletion conditions for the state a sweep found (without transition times). */
export function namespaceDeletionConditions(sweep: ContentSweep): Condition[] {
  const remaining = Object.keys(sweep.remaining).length > 0;
  const finalizers = Object.keys(sweep.finalizers).length > 0;
  return [
    {
      type: NamespaceConditionType.DeletionDiscoveryFailure,
      status: 'False',
      reason: 'ResourcesDiscovered',
      message: 'All resources successfully discovered',
    },
    {
      type: NamespaceConditionType.DeletionGroupVersionParsingFailure,
      status: 'False',
      reason: 'ParsedGroupVersions',
      message: 'All legacy kube types successfully parsed',
    },
    sweep.failures.length > 0
      ? {
          type: NamespaceConditionType.DeletionContentFailure,
          status: 'True',
          reason: 'ContentDeletionFailed',
          message: `Failed to delete all resource types, ${sweep.failures.length} remaining: ${sweep.failures.join(', ')}`,
        }
      : {
          type: NamespaceConditionType.DeletionContentFailure,
          status: 'False',
          reason: 'ContentDeleted',
          message: 'All content successfully deleted, may be waiting on finalization',
        },
    remaining
      ? {
          type: NamespaceConditionType.ContentRemaining,
          status: 'True',
          reason: 'SomeResourcesRemain',
          message: `Some resources are remaining: ${listed(sweep.remaining, 'resource instances')}`,
        }
      : {
          type: NamespaceConditionType.ContentRemaining,
          status: 'False',
          reason: 'ContentRemoved',
          message: 'All content successfully removed',
        },
    finalizers
      ? {
          type: NamespaceConditionType.FinalizersRemaining,
          status: 'True',
          reason: 'SomeFinalizersRemain',
          message: `Some content in the namespace has finalizers remaining: ${Object.keys(sweep.finalizers)
            .sort()
            .map((f) => `${f} in ${sweep.finalizers[f]} resource instances`)
            .join(', ')}`,
        }
      : {
          type: NamespaceConditionType.FinalizersRemaining,
          status: 'False',
          reason: 'ContentHasNoFinalizers',
          message: 'All content-preserving finalizers finished',
        },
  ];
}
