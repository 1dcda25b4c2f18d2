import { InvalidError } from '@keelson/core';
import { isJsonObject } from '../jsonValue';
import type { FieldSet } from './fieldSet';
import { decodeFieldsV1, encodeFieldsV1, type FieldsV1 } from './fieldsV1';

/** One `metadata.managedFields` entry, in Kubernetes' format. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** A manager's entry with its fields as a set. */
export interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource: string;
  fields: FieldSet;
}

/**
 * Whether two entries are the same manager, as Kubernetes identifies them: by
 * name, operation and subresource, and for updates also by apiVersion.
 */
export function sameManager(a: Omit<Manager, 'fields' | 'time'>, b: Omit<Manager, 'fields' | 'time'>): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    a.subresource === b.subresource &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

/** Reads `metadata.managedFields`; anything malformed is an InvalidError. */
export function readManagers(metadata: unknown): Manager[] {
  const entries = isJsonObject(metadata) ? metadata.managedFields : undefined;
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new InvalidError('metadata.managedFields must be a list');
  return entries.map((entry, i) => readEntry(entry, `metadata.managedFields[${i}]`));
}

function readEntry(entry: unknown, where: string): Manager {
  if (!isJsonObject(entry)) throw new InvalidError(`${where} must be an object`);
  const { manager, operation, apiVersion, time, subresource, fieldsV1 } = entry;
  if (operation !== 'Apply' && operation !== 'Update') {
    throw new InvalidError(`${where}.operation must be Apply or Update, not ${JSON.stringify(operation)}`);
  }
  return {
    manager: typeof manager === 'string' ? manager : '',
    operation,
    apiVersion: typeof apiVersion === 'string' ? apiVersion : '',
    time: typeof time === 'string' ? time : '',
    subresource: typeof subresource === 'string' ? subresource : '',
    fields: fieldsV1 === undefined ? decodeFieldsV1({}, where) : decodeFieldsV1(fieldsV1, `${where}.fieldsV1`),
  };
}

/**
 * Writes managers back as `metadata.managedFields`, dropping those that own
 * nothing, in Kubernetes' order: Apply before Update, then by time, manager,
 * apiVersion and subresource.
 */
export function writeManagers(managers: readonly Manager[]): ManagedFieldsEntry[] {
  return managers
    .filter((m) => m.fields.size > 0)
    .sort(compareManagers)
    .map((m) => {
      const entry: ManagedFieldsEntry = {
        manager: m.manager,
        operation: m.operation,
        apiVersion: m.apiVersion,
        time: m.time,
        fieldsType: 'FieldsV1',
        fieldsV1: encodeFieldsV1(m.fields),
      };
      if (m.subresource !== '') entry.subresource = m.subresource;
      return entry;
    });
}

function compareManagers(a: Manager, b: Manager): number {
  const seconds = (m: Manager): number => Math.trunc((Date.parse(m.time) || 0) / 1000);
  return (
    compareText(a.operation, b.operation) ||
    seconds(a) - seconds(b) ||
    compareText(a.manager, b.manager) ||
    compareText(a.apiVersion, b.apiVersion) ||
    compareText(a.subresource, b.subresource)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
