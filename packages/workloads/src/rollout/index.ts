/** kubectl's rollout commands over a store: undo, pause, resume, restart, status, history. */
export type { RolloutHistoryOptions, RolloutRevision } from './history';
export { rolloutHistory } from './history';
export { pauseRollout, resumeRollout } from './pause';
export { restartRollout } from './restart';
export type { RollbackOptions, RollbackResult } from './rollback';
export { rollback } from './rollback';
export type { RolloutStatus, RolloutStatusOptions } from './status';
export { deploymentRolloutStatus, rolloutStatus } from './status';
export type { ResolvedRef, RolloutRef, RolloutStore } from './target';
