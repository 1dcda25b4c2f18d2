import { ageOf } from '../humanDuration';
import { at, type Json, listAt, objectAt, stringAt } from '../objectFields';
import type { PrintContext, Printer } from '../tableTypes';
import { ageColumn, column, nameColumn } from './columns';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** `kubectl get nodes`: Ready/NotReady(,SchedulingDisabled), roles from labels, kubelet version. */
export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', { priority: 1 }),
    column('External-IP', 'string', 'List of addresses reachable to the node.', { priority: 1 }),
    column(
      'OS-Image',
      'string',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      {
        priority: 1,
      },
    ),
    column(
      'Kernel-Version',
      'string',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      {
        priority: 1,
      },
    ),
    column(
      'Container-Runtime',
      'string',
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      {
        priority: 1,
      },
    ),
  ],
  cells: (node: Json, { now }: PrintContext) => {
    const info = objectAt(node, 'status', 'nodeInfo');
    return [
      stringAt(node, 'metadata', 'name'),
      nodeStatus(node),
      nodeRoles(node),
      ageOf(at(node, 'metadata', 'creationTimestamp'), now),
      stringAt(info, 'kubeletVersion'),
      addressOf(node, 'InternalIP'),
      addressOf(node, 'ExternalIP'),
      stringAt(info, 'osImage') || '<unknown>',
      stringAt(info, 'kernelVersion') || '<unknown>',
      stringAt(info, 'containerRuntimeVersion') || '<unknown>',
    ];
  },
};

function nodeStatus(node: Json): string {
  const ready = listAt(node, 'status', 'conditions').find((c) => stringAt(c, 'type') === 'Ready');
  const status = [ready === undefined ? 'Unknown' : stringAt(ready, 'status') === 'True' ? 'Ready' : 'NotReady'];
  if (at(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(node: Json): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(objectAt(node, 'metadata', 'labels'))) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length) roles.add(key.slice(ROLE_PREFIX.length));
    else if (key === ROLE_LABEL && typeof value === 'string' && value !== '') roles.add(value);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function addressOf(node: Json, type: string): string {
  const address = listAt(node, 'status', 'addresses').find((a) => stringAt(a, 'type') === type);
  return stringAt(address, 'address') || '<none>';
}
