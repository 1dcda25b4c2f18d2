import { ageOf, humanDuration } from '../humanDuration';
import { formatLabelSelector, formatLabels, selectorString } from '../labelFormat';
import { at, countAt, type Json, listAt, numberAt, stringAt } from '../objectFields';
import type { PrintContext, Printer } from '../tableTypes';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, selectorColumn } from './columns';

/*
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs, with
 * the columns of Kubernetes' printers (the wide ones list the pod template's
 * containers and images, and the selector).
 */

function age(object: Json, now: number): string {
  return ageOf(at(object, 'metadata', 'creationTimestamp'), now);
}

function name(object: Json): string {
  return stringAt(object, 'metadata', 'name');
}

/** `layoutContainerCells`: container names and images, comma-separated. */
function containerCells(podSpec: unknown): [string, string] {
  const containers = listAt(podSpec, 'containers');
  return [containers.map((c) => stringAt(c, 'name')).join(','), containers.map((c) => stringAt(c, 'image')).join(',')];
}

/** The desired replica count, Kubernetes' default 1 when unset. */
function desiredReplicas(object: Json): number {
  return numberAt(object, 'spec', 'replicas') ?? 1;
}

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column(
      'Up-to-date',
      'string',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    column(
      'Available',
      'string',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells: (d: Json, { now }: PrintContext) => [
    name(d),
    `${countAt(d, 'status', 'readyReplicas')}/${desiredReplicas(d)}`,
    countAt(d, 'status', 'updatedReplicas'),
    countAt(d, 'status', 'availableReplicas'),
    age(d, now),
    ...containerCells(at(d, 'spec', 'template', 'spec')),
    selectorString(at(d, 'spec', 'selector')),
  ],
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Replicas is the number of desired pods.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells: (rs: Json, { now }: PrintContext) => [
    name(rs),
    desiredReplicas(rs),
    countAt(rs, 'status', 'replicas'),
    countAt(rs, 'status', 'readyReplicas'),
    age(rs, now),
    ...containerCells(at(rs, 'spec', 'template', 'spec')),
    formatLabelSelector(at(rs, 'spec', 'selector')),
  ],
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn,
    containersColumn,
    imagesColumn,
  ],
  cells: (ss: Json, { now }: PrintContext) => [
    name(ss),
    `${countAt(ss, 'status', 'readyReplicas')}/${desiredReplicas(ss)}`,
    age(ss, now),
    ...containerCells(at(ss, 'spec', 'template', 'spec')),
  ],
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    column(
      'Current',
      'integer',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    ),
    column(
      'Ready',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    ),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
    ),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells: (ds: Json, { now }: PrintContext) => [
    name(ds),
    countAt(ds, 'status', 'desiredNumberScheduled'),
    countAt(ds, 'status', 'currentNumberScheduled'),
    countAt(ds, 'status', 'numberReady'),
    countAt(ds, 'status', 'updatedNumberScheduled'),
    countAt(ds, 'status', 'numberAvailable'),
    formatLabels(at(ds, 'spec', 'template', 'spec', 'nodeSelector')),
    age(ds, now),
    ...containerCells(at(ds, 'spec', 'template', 'spec')),
    formatLabelSelector(at(ds, 'spec', 'selector')),
  ],
};

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells: (job: Json, { now }: PrintContext) => [
    name(job),
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, now),
    age(job, now),
    ...containerCells(at(job, 'spec', 'template', 'spec')),
    formatLabelSelector(at(job, 'spec', 'selector')),
  ],
};

function jobCompletions(job: Json): string {
  const succeeded = countAt(job, 'status', 'succeeded');
  const completions = numberAt(job, 'spec', 'completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = numberAt(job, 'spec', 'parallelism') ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Json, now: number): string {
  const start = Date.parse(stringAt(job, 'status', 'startTime'));
  if (Number.isNaN(start)) return '';
  const completion = Date.parse(stringAt(job, 'status', 'completionTime'));
  return humanDuration((Number.isNaN(completion) ? now : completion) - start);
}

function jobStatus(job: Json): string {
  const isTrue = (type: string): boolean =>
    stringAt(
      listAt(job, 'status', 'conditions').find((c) => stringAt(c, 'type') === type),
      'status',
    ) === 'True';
  if (isTrue('Complete')) return 'Complete';
  if (isTrue('Failed')) return 'Failed';
  if (stringAt(job, 'metadata', 'deletionTimestamp') !== '') return 'Terminating';
  if (isTrue('Suspended')) return 'Suspended';
  if (isTrue('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells: (cj: Json, { now }: PrintContext) => {
    const suspend = at(cj, 'spec', 'suspend');
    const lastSchedule = stringAt(cj, 'status', 'lastScheduleTime');
    return [
      name(cj),
      stringAt(cj, 'spec', 'schedule'),
      stringAt(cj, 'spec', 'timeZone') || '<none>',
      typeof suspend === 'boolean' ? (suspend ? 'True' : 'False') : '<unset>',
      listAt(cj, 'status', 'active').length,
      lastSchedule === '' ? '<none>' : ageOf(lastSchedule, now),
      age(cj, now),
      ...containerCells(at(cj, 'spec', 'jobTemplate', 'spec', 'template', 'spec')),
      formatLabelSelector(at(cj, 'spec', 'jobTemplate', 'spec', 'selector')),
    ];
  },
};

/** `formatResourceName` of the controller reference: `statefulset.apps/web`, or `<none>`. */
function controllerName(object: Json): string {
  const refs = listAt(object, 'metadata', 'ownerReferences');
  const ref = refs.find((r) => at(r, 'controller') === true);
  if (ref === undefined) return '<none>';
  const apiVersion = stringAt(ref, 'apiVersion');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = stringAt(ref, 'kind').toLowerCase();
  return `${group === '' ? kind : `${kind}.${group}`}/${stringAt(ref, 'name')}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn,
  ],
  cells: (r: Json, { now }: PrintContext) => [name(r), controllerName(r), numberAt(r, 'revision') ?? 0, age(r, now)],
};
