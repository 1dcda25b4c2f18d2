import { ageOf, humanDuration } from '../humanDuration';
import { at, countAt, isObject, type Json, listAt, objectAt, stringAt } from '../objectFields';
import type { PrintContext, Printer, TableRowCondition } from '../tableTypes';
import { ageColumn, column, nameColumn } from './columns';

/** `kubectl get pods`: the columns and the STATUS logic of Kubernetes' printPod. */
export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn,
    column('IP', 'string', 'podIP address allocated to the pod.', { priority: 1 }),
    column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', { priority: 1 }),
    column('Nominated Node', 'string', 'nominatedNodeName is set when this pod preempts other pods on the node.', {
      priority: 1,
    }),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', {
      priority: 1,
    }),
  ],
  cells: podCells,
  conditions: podRowConditions,
};

function podCells(pod: Json, { now }: PrintContext): unknown[] {
  const summary = summarize(pod);
  const restarts =
    summary.restarts !== 0 && summary.lastRestart > 0
      ? `${summary.restarts} (${humanDuration(now - summary.lastRestart)} ago)`
      : String(summary.restarts);
  const podIP = stringAt(listAt(pod, 'status', 'podIPs')[0], 'ip') || stringAt(pod, 'status', 'podIP');
  return [
    stringAt(pod, 'metadata', 'name'),
    `${summary.ready}/${summary.total}`,
    summary.reason,
    restarts,
    ageOf(at(pod, 'metadata', 'creationTimestamp'), now),
    podIP || '<none>',
    stringAt(pod, 'spec', 'nodeName') || '<none>',
    stringAt(pod, 'status', 'nominatedNodeName') || '<none>',
    readinessGates(pod),
  ];
}

function podRowConditions(pod: Json): TableRowCondition[] | undefined {
  const phase = stringAt(pod, 'status', 'phase');
  if (phase === 'Succeeded') {
    return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  }
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}

interface Summary {
  reason: string;
  ready: number;
  total: number;
  restarts: number;
  /** ms since the epoch of the last container termination, 0 when none. */
  lastRestart: number;
}

function summarize(pod: Json): Summary {
  const initContainers = listAt(pod, 'spec', 'initContainers');
  const sidecars = new Set(initContainers.filter(isSidecar).map((c) => stringAt(c, 'name')));
  const summary: Summary = {
    reason: stringAt(pod, 'status', 'reason') || stringAt(pod, 'status', 'phase'),
    ready: 0,
    total: listAt(pod, 'spec', 'containers').length + sidecars.size,
    restarts: 0,
    lastRestart: 0,
  };
  if (conditionOf(pod, 'PodScheduled')?.reason === 'SchedulingGated') summary.reason = 'SchedulingGated';
  const initializing = summarizeInitContainers(pod, initContainers.length, sidecars, summary);
  if (!initializing || conditionOf(pod, 'Initialized')?.status === 'True') summarizeContainers(pod, sidecars, summary);
  const deleting = stringAt(pod, 'metadata', 'deletionTimestamp') !== '';
  const phase = stringAt(pod, 'status', 'phase');
  if (deleting && stringAt(pod, 'status', 'reason') === 'NodeLost') summary.reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') summary.reason = 'Terminating';
  return summary;
}

function isSidecar(container: unknown): boolean {
  return stringAt(container, 'restartPolicy') === 'Always';
}

/** Walks init container statuses as printPod does; true while the pod is still initializing. */
function summarizeInitContainers(pod: Json, count: number, sidecars: Set<string>, summary: Summary): boolean {
  const statuses = listAt(pod, 'status', 'initContainerStatuses');
  for (const [i, status] of statuses.entries()) {
    const sidecar = sidecars.has(stringAt(status, 'name'));
    summary.restarts += countAt(status, 'restartCount');
    noteLastTermination(status, summary);
    const terminated = objectAt(status, 'state', 'terminated');
    const waiting = objectAt(status, 'state', 'waiting');
    const isTerminated = isObject(at(status, 'state', 'terminated'));
    if (isTerminated && countAt(terminated, 'exitCode') === 0) continue;
    if (sidecar && at(status, 'started') === true) {
      if (at(status, 'ready') === true) summary.ready++;
      continue;
    }
    if (isTerminated) summary.reason = `Init:${terminationReason(terminated)}`;
    else if (stringAt(waiting, 'reason') !== '' && stringAt(waiting, 'reason') !== 'PodInitializing') {
      summary.reason = `Init:${stringAt(waiting, 'reason')}`;
    } else summary.reason = `Init:${i}/${count}`;
    return true;
  }
  return false;
}

function summarizeContainers(pod: Json, sidecars: Set<string>, summary: Summary): void {
  // Only sidecars' restarts count once the pod is initialized, as in printPod.
  const initStatuses = listAt(pod, 'status', 'initContainerStatuses').filter((s) => sidecars.has(stringAt(s, 'name')));
  summary.restarts = initStatuses.reduce<number>((sum, s) => sum + countAt(s, 'restartCount'), 0);
  summary.lastRestart = 0;
  for (const status of initStatuses) noteLastTermination(status, summary);
  let hasRunning = false;
  for (const status of [...listAt(pod, 'status', 'containerStatuses')].reverse()) {
    summary.restarts += countAt(status, 'restartCount');
    noteLastTermination(status, summary);
    const waitingReason = stringAt(status, 'state', 'waiting', 'reason');
    const terminated = at(status, 'state', 'terminated');
    if (waitingReason !== '') summary.reason = waitingReason;
    else if (isObject(terminated)) summary.reason = terminationReason(terminated);
    else if (at(status, 'ready') === true && isObject(at(status, 'state', 'running'))) {
      hasRunning = true;
      summary.ready++;
    }
  }
  if (summary.reason === 'Completed' && hasRunning) {
    summary.reason = conditionOf(pod, 'Ready')?.status === 'True' ? 'Running' : 'NotReady';
  }
}

/** A terminated state's reason, else `Signal:n` / `ExitCode:n`. */
function terminationReason(terminated: Json): string {
  const reason = stringAt(terminated, 'reason');
  if (reason !== '') return reason;
  const signal = countAt(terminated, 'signal');
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${countAt(terminated, 'exitCode')}`;
}

function noteLastTermination(status: unknown, summary: Summary): void {
  const finishedAt = Date.parse(stringAt(status, 'lastState', 'terminated', 'finishedAt'));
  if (!Number.isNaN(finishedAt) && finishedAt > summary.lastRestart) summary.lastRestart = finishedAt;
}

function conditionOf(pod: Json, type: string): Json | undefined {
  const found = listAt(pod, 'status', 'conditions').find((c) => stringAt(c, 'type') === type);
  return isObject(found) ? found : undefined;
}

function readinessGates(pod: Json): string {
  const gates = listAt(pod, 'spec', 'readinessGates');
  if (gates.length === 0) return '<none>';
  const passing = gates.filter((gate) => conditionOf(pod, stringAt(gate, 'conditionType'))?.status === 'True');
  return `${passing.length}/${gates.length}`;
}
