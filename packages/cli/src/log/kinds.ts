/** Naming a kind and an object on the command line the ways kubectl accepts. */
import { builtinTypes } from '@keelson/api';
import { NotFoundError, type ResourceType } from '@keelson/core';
import { InvalidArgumentError } from 'commander';

/** The kinds the log commands know: the built-in ones (objects of other kinds are skipped on replay). */
export const knownTypes: readonly ResourceType[] = builtinTypes;

/** The log entry `type` of a kind's objects: `<group or "core">/<plural>`, as the store writes it. */
export function entryType(type: ResourceType): string {
  return `${type.group === '' ? 'core' : type.group}/${type.plural}`;
}

/** `plural.group` (or `plural` for the core group), as Kubernetes names a resource. */
export function resourceName(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

/**
 * The kind named `name`: a kind (`Deployment`), a plural (`deployments`) or
 * `plural.group` (`deployments.apps`), case-insensitive.
 *
 * @throws {NotFoundError} naming `name` and the kinds there are.
 */
export function resolveKind(name: string, types: readonly ResourceType[] = knownTypes): ResourceType {
  const wanted = name.toLowerCase();
  const type = types.find((t) => t.kind.toLowerCase() === wanted || t.plural === wanted || resourceName(t) === wanted);
  if (type) return type;
  const known = types.map((t) => t.kind).join(', ');
  throw new NotFoundError(`unknown kind "${name}"; the kinds are ${known} (or their plurals, as in deployments.apps)`);
}

/** An object named on the command line as `KIND/NAME`. */
export interface ObjectRef {
  kind: string;
  name: string;
}

/** Commander argument parser for `KIND/NAME`: a malformed one is a usage error. */
export function parseObjectRef(value: string): ObjectRef {
  const slash = value.indexOf('/');
  const kind = value.slice(0, slash);
  const name = value.slice(slash + 1);
  if (slash <= 0 || name === '' || name.includes('/')) {
    throw new InvalidArgumentError(`expected KIND/NAME, such as deployment/web or deployments.apps/web`);
  }
  return { kind, name };
}

/** Commander argument parser for a revision: an integer >= 0. */
export function parseRevision(value: string): number {
  const revision = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(revision)) throw new InvalidArgumentError('expected a revision, an integer >= 0');
  return revision;
}
