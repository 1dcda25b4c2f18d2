/**
 * Every built-in workload controller, ready for a manager.
 */
import type { Controller } from '@keelson/controller';
import { cronJobController } from './cronjob/index';
import { daemonSetController } from './daemonset/index';
import { deploymentController } from './deployment/index';
import { disruptionController } from './disruption/index';
import { endpointSliceController } from './endpointslice/index';
import { garbageCollectorController } from './gc/index';
import { jobController, ttlAfterFinishedController } from './job/index';
import { namespaceController } from './namespace/index';
import { replicaSetController } from './replicaset/index';

/** Options for {@link workloadControllers}. */
export interface WorkloadControllersOptions {
  /** Leave these controllers out, by name. */
  exclude?: readonly string[];
}

/**
 * The workload controllers, each a `defineController` controller to hand to
 * a manager: `for (const c of workloadControllers()) manager.add(c)`.
 */
export function workloadControllers(options: WorkloadControllersOptions = {}): Controller[] {
  const all: Controller[] = [
    cronJobController(),
    daemonSetController(),
    deploymentController(),
    disruptionController(),
    endpointSliceController(),
    garbageCollectorController(),
    jobController(),
    namespaceController(),
    replicaSetController(),
    ttlAfterFinishedController(),
  ];
  const exclude = new Set(options.exclude ?? []);
  return all.filter((controller) => !exclude.has(controller.name));
}
