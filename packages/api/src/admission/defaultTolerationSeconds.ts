import type { AdmissionPlugin, KubeObject } from '@keelson/core';
import { Pod } from '../kinds/pod';

/** The taints the node lifecycle controller puts on nodes that are not ready or unreachable. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** How long pods stay on such nodes before eviction, by default. */
export const DEFAULT_TOLERATION_SECONDS = 300;

interface TolerationInput {
  key?: string;
  operator?: string;
  effect?: string;
}

function tolerates(tolerations: readonly TolerationInput[], key: string): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute') &&
      ((t.operator === 'Exists' && (t.key === undefined || t.key === '')) || t.key === key),
  );
}

/**
 * Kubernetes' DefaultTolerationSeconds admission: a new pod that does not
 * already tolerate the not-ready and unreachable NoExecute taints gets
 * tolerations for them with `tolerationSeconds: 300`, so it is evicted five
 * minutes after its node goes away.
 */
export function defaultTolerationSeconds(seconds = DEFAULT_TOLERATION_SECONDS): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    mutate({ operation, type, object }) {
      if (operation !== 'CREATE' || type.kind !== Pod.kind || type.group !== Pod.group) return undefined;
      const pod = object as KubeObject & { spec?: { tolerations?: TolerationInput[] } };
      const existing = Array.isArray(pod.spec?.tolerations) ? pod.spec.tolerations : [];
      const added = [NOT_READY_TAINT, UNREACHABLE_TAINT]
        .filter((key) => !tolerates(existing, key))
        .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }));
      if (added.length === 0) return undefined;
      return { ...pod, spec: { ...(pod.spec ?? {}), tolerations: [...existing, ...added] } } as KubeObject;
    },
  };
}
