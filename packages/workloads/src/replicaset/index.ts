export { compareForDeletion, POD_DELETION_COST_ANNOTATION, podsToDelete } from './ranking';
export type { ReplicaSetControllerOptions } from './replicaSetController';
export { REPLICASET_CONTROLLER_NAME, replicaSetController } from './replicaSetController';
export type { ManageFailure } from './status';
export { replicaSetStatus } from './status';
