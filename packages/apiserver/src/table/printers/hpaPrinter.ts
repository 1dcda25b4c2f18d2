import { ageOf } from '../humanDuration';
import { at, countAt, type Json, listAt, numberAt, stringAt } from '../objectFields';
import type { PrintContext, Printer } from '../tableTypes';
import { ageColumn, column, nameColumn } from './columns';

/** `kubectl get hpa` (autoscaling/v2): REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE. */
export const hpaPrinter: Printer = {
  columns: [
    nameColumn,
    column(
      'Reference',
      'string',
      'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.',
    ),
    column(
      'Targets',
      'string',
      'metrics contains the specifications for which to use to calculate the desired replica count.',
    ),
    column(
      'MinPods',
      'string',
      'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.',
    ),
    column(
      'MaxPods',
      'string',
      'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.',
    ),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    ageColumn,
  ],
  cells: (hpa: Json, { now }: PrintContext) => {
    const minReplicas = numberAt(hpa, 'spec', 'minReplicas');
    return [
      stringAt(hpa, 'metadata', 'name'),
      `${stringAt(hpa, 'spec', 'scaleTargetRef', 'kind')}/${stringAt(hpa, 'spec', 'scaleTargetRef', 'name')}`,
      formatMetrics(listAt(hpa, 'spec', 'metrics'), listAt(hpa, 'status', 'currentMetrics')),
      minReplicas === undefined ? '<unset>' : String(minReplicas),
      countAt(hpa, 'spec', 'maxReplicas'),
      countAt(hpa, 'status', 'currentReplicas'),
      ageOf(at(hpa, 'metadata', 'creationTimestamp'), now),
    ];
  },
};

const SOURCE_FIELD: Record<string, string> = {
  Resource: 'resource',
  ContainerResource: 'containerResource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
};

/** Kubernetes' formatHPAMetrics: the first two metrics as current/target, then `+ N more...`. */
function formatMetrics(specs: unknown[], statuses: unknown[]): string {
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown} + ${list.length - max} more...` : shown;
}

function formatMetric(spec: unknown, status: unknown): string {
  const type = stringAt(spec, 'type');
  const field = SOURCE_FIELD[type];
  if (field === undefined) return '<unknown type>';
  const source = at(spec, field);
  const current = at(status, field, 'current');
  const hasCurrent = at(status, field) !== undefined;
  const averageValue = at(source, 'target', 'averageValue');
  if (type === 'Pods') return `${quantity(at(current, 'averageValue'), hasCurrent)}/${quantity(averageValue, true)}`;
  if (type === 'Resource' || type === 'ContainerResource') {
    const resource = stringAt(source, 'name');
    if (averageValue !== undefined)
      return `${resource}: ${quantity(at(current, 'averageValue'), hasCurrent)}/${quantity(averageValue, true)}`;
    const utilization = numberAt(current, 'averageUtilization');
    const target = numberAt(source, 'target', 'averageUtilization');
    return `${resource}: ${utilization === undefined ? '<unknown>' : `${utilization}%`}/${target === undefined ? '<auto>' : `${target}%`}`;
  }
  if (averageValue !== undefined) {
    return `${quantity(at(current, 'averageValue'), at(current, 'averageValue') !== undefined)}/${quantity(averageValue, true)} (avg)`;
  }
  return `${quantity(at(current, 'value'), hasCurrent)}/${quantity(at(source, 'target', 'value'), true)}`;
}

function quantity(value: unknown, known: boolean): string {
  if (!known) return '<unknown>';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '0';
}
