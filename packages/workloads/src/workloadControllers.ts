/**
 * Every built-in workload controller, ready for a manager.
 */
import type { Controller } from '@keelson/controller';
import type { ResourceType } from '@keelson/core';
import { cronJobController } from './cronjob/index';
import { daemonSetController } from './daemonset/index';
import { deploymentController } from './deployment/index';
import { disruptionController } from './disruption/index';
import { endpointSliceController } from './endpointslice/index';
import { garbageCollectorController } from './gc/index';
import { jobController, ttlAfterFinishedController } from './job/index';
import { namespaceController } from './namespace/index';
import { podGcController } from './podgc/index';
import { replicaSetController } from './replicaset/index';
import { statefulSetController } from './statefulset/index';

/** Options for {@link workloadControllers}. */
export interface WorkloadControllersOptions {
  /** Leave these controllers out, by name. */
  exclude?: readonly string[];
  /**
   * Every kind the store serves (default: `builtinTypes` of `@keelson/api`):
   * the garbage collector follows ownerReferences between them and namespace
   * deletion sweeps the namespaced ones — pass your own kinds too.
   */
  types?: readonly ResourceType[];
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
    garbageCollectorController(options.types ? { types: options.types } : {}),
    jobController(),
    namespaceController(options.types ? { types: options.types } : {}),
    podGcController(),
    replicaSetController(),
    statefulSetController(),
    ttlAfterFinishedController(),
  ];
  const exclude = new Set(options.exclude ?? []);
  return all.filter((controller) => !exclude.has(controller.name));
}
