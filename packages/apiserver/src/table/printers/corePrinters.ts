import { ageOf } from '../humanDuration';
import { at, countAt, type Json, objectAt, stringAt } from '../objectFields';
import type { PrintContext, Printer } from '../tableTypes';
import { ageColumn, column, nameColumn } from './columns';

/* Namespaces, ConfigMaps, Secrets, ServiceAccounts, Leases and PodDisruptionBudgets. */

function age(object: Json, now: number): string {
  return ageOf(at(object, 'metadata', 'creationTimestamp'), now);
}

function name(object: Json): string {
  return stringAt(object, 'metadata', 'name');
}

function sizeOf(value: unknown): number {
  return typeof value === 'object' && value !== null ? Object.keys(value).length : 0;
}

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  cells: (ns: Json, { now }: PrintContext) => [name(ns), stringAt(ns, 'status', 'phase'), age(ns, now)],
};

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', 'Data contains the configuration data.'), ageColumn],
  cells: (cm: Json, { now }: PrintContext) => [name(cm), sizeOf(cm.data) + sizeOf(cm.binaryData), age(cm, now)],
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    ageColumn,
  ],
  // A Secret's stringData is folded into data on write, so count both as the API server's stored object would.
  cells: (secret: Json, { now }: PrintContext) => [
    name(secret),
    stringAt(secret, 'type') || 'Opaque',
    new Set([...Object.keys(objectAt(secret, 'data')), ...Object.keys(objectAt(secret, 'stringData'))]).size,
    age(secret, now),
  ],
};

export const serviceAccountPrinter: Printer = {
  columns: [
    nameColumn,
    column(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
    ageColumn,
  ],
  cells: (sa: Json, { now }: PrintContext) => [
    name(sa),
    Array.isArray(sa.secrets) ? sa.secrets.length : 0,
    age(sa, now),
  ],
};

export const leasePrinter: Printer = {
  columns: [
    nameColumn,
    column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'),
    ageColumn,
  ],
  cells: (lease: Json, { now }: PrintContext) => [
    name(lease),
    stringAt(lease, 'spec', 'holderIdentity'),
    age(lease, now),
  ],
};

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells: (pdb: Json, { now }: PrintContext) => [
    name(pdb),
    intOrString(at(pdb, 'spec', 'minAvailable')),
    intOrString(at(pdb, 'spec', 'maxUnavailable')),
    countAt(pdb, 'status', 'disruptionsAllowed'),
    age(pdb, now),
  ],
};

function intOrString(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : 'N/A';
}
