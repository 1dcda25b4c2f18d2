import type { Printer } from '../tableTypes';
import {
  configMapPrinter,
  leasePrinter,
  namespacePrinter,
  podDisruptionBudgetPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './corePrinters';
import { eventPrinter } from './eventPrinter';
import { hpaPrinter } from './hpaPrinter';
import { nodePrinter } from './nodePrinter';
import { podPrinter } from './podPrinter';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './servicePrinters';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storagePrinters';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workloadPrinters';

/** Kubernetes' printers for the built-in kinds, by `group/Kind` (core group empty). */
export const corePrinters: ReadonlyMap<string, Printer> = new Map([
  ['/Pod', podPrinter],
  ['/Node', nodePrinter],
  ['/Namespace', namespacePrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/Event', eventPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['/PersistentVolume', persistentVolumePrinter],
  ['/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['storage.k8s.io/StorageClass', storageClassPrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/StatefulSet', statefulSetPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['apps/ControllerRevision', controllerRevisionPrinter],
  ['batch/Job', jobPrinter],
  ['batch/CronJob', cronJobPrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['policy/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['autoscaling/HorizontalPodAutoscaler', hpaPrinter],
]);
