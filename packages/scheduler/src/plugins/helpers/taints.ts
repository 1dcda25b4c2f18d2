/**
 * Taints and tolerations with Kubernetes' matching rules, shared by
 * TaintToleration, NodeUnschedulable and the scheduler's own checks. The
 * matching itself lives in `@keelson/api` (the node lifecycle and DaemonSet
 * controllers use the same rules); this module keeps the scheduler's names.
 */
export {
  findUntoleratedTaint,
  isDoNotScheduleTaint,
  tolerates,
  tolerationsTolerateTaint,
  UNSCHEDULABLE_TAINT,
} from '@keelson/api';
