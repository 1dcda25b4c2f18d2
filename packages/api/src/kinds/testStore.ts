/**
 * Test support for the built-in kinds: a store serving `builtinTypes` on a
 * virtual clock, and a helper to inspect rejections. Not exported from the package.
 */
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore, type FieldIssue, isKeelsonError, type Store } from '@keelson/core';
import { parse } from 'yaml';
import { builtinTypes } from '../builtinTypes';

/** A store serving every built-in kind at virtual time 0, collecting warnings. */
export async function builtinStore(): Promise<{ store: Store; clock: VirtualClock; warnings: string[] }> {
  const clock = new VirtualClock(0);
  const warnings: string[] = [];
  const store = await createStore({
    types: builtinTypes,
    clock,
    random: createRandom(1, 't'),
    logger: {
      warn(message) {
        warnings.push(message);
      },
    },
  });
  return { store, clock, warnings };
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject');
}

/** The issues of the `ValidationError` a promise rejects with (fails on any other outcome). */
export async function issuesOf(promise: Promise<unknown>): Promise<readonly FieldIssue[]> {
  const error = await rejection(promise);
  if (!isKeelsonError(error, 'Validation')) throw new Error(`expected a ValidationError, got ${String(error)}`);
  return (error as unknown as { issues: readonly FieldIssue[] }).issues;
}

/** The paths of those issues, sorted. */
export async function issuePaths(promise: Promise<unknown>): Promise<string[]> {
  return (await issuesOf(promise)).map((issue) => issue.path).sort();
}

/** A manifest written as YAML (as the Kubernetes documentation shows it), for `store.create`. */
export function manifest<T>(yaml: string): T {
  return parse(yaml) as T;
}
