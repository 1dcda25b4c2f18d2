/** Shared checks for plugin args. */
import { InvalidError } from '@keelson/core';

/** For plugins that take no args: anything but `undefined` / `{}` is an error. */
export function rejectArgs(plugin: string, args: unknown): void {
  if (args === undefined || args === null) return;
  if (typeof args === 'object' && !Array.isArray(args) && Object.keys(args).length === 0) return;
  throw new InvalidError(`${plugin} args: this plugin takes no args; remove its pluginConfig entry`);
}

/** Args as an object whose keys are all in `allowed` (`undefined` → `{}`). */
export function objectArgs(plugin: string, args: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new InvalidError(`${plugin} args: must be an object with ${allowed.join(', ')}`);
  }
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      throw new InvalidError(`${plugin} args: unknown field "${key}" (known: ${allowed.join(', ')})`);
    }
  }
  return args as Record<string, unknown>;
}

/** An integer arg within [min, max], or `fallback` when absent. */
export function numberArg(
  plugin: string,
  args: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = args[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidError(
      `${plugin} args: ${key} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
