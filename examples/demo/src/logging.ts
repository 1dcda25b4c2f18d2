/**
 * The demo's cluster log: `KEELSON_LOG=info pnpm demo` (or `pnpm demo -- --log=debug`) sends
 * every component's lines through pino, one readable line each on stderr, timed on the
 * story's clock. Without either the demo logs nothing, so the story stays readable.
 */
import type { Clock } from '@keelson/clock';
import { InvalidError, type Logger } from '@keelson/core';
import { pino } from 'pino';

/** The levels the demo's log can be set to. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The level asked for by a `--log=<level>` argument, else by `$KEELSON_LOG`; `undefined`: no log.
 * @throws InvalidError for a level that is not one of {@link LOG_LEVELS}.
 */
export function logLevelFrom(args: readonly string[], env: string | undefined): LogLevel | undefined {
  const arg = args.find((a) => a.startsWith('--log='));
  const [where, value] = arg === undefined ? ['KEELSON_LOG', env] : ['--log', arg.slice('--log='.length)];
  if (value === undefined || value === '') return undefined;
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new InvalidError(`${where} must be one of ${LOG_LEVELS.join(', ')} (or unset for no log), got "${value}"`);
  }
  return value as LogLevel;
}

const LEVEL_NAMES: Record<number, string> = { 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR' };

/**
 * One pino entry as a line: `00:01:05.000 INFO  scheduler Successfully bound pod to node pod=default/web-1 node=node-2`.
 * The source is the entry's `component`, with its `controller` (or a node agent's `node`) after a slash.
 */
export function formatEntry(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const { time, level, msg, component, controller, ...others } = entry;
  // A node agent's node is part of its name; elsewhere `node` is a field like any other.
  const { node, ...agent } = others;
  const rest = component === 'node-agent' ? agent : others;
  const at = typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '--:--:--.---';
  const sub = controller ?? (component === 'node-agent' ? node : undefined);
  const source = `${String(component ?? '-')}${sub === undefined ? '' : `/${String(sub)}`}`;
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const name = (LEVEL_NAMES[Number(level)] ?? String(level)).padEnd(5);
  return [at, name, source, String(msg ?? ''), ...fields].join(' ');
}

/** A pino logger at `level` whose lines, timed on `clock`, reach `write` as {@link formatEntry} shows them. */
export function createDemoLogger(
  level: LogLevel,
  clock: Clock,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  return pino(
    { level, base: null, timestamp: () => `,"time":${clock.now()}` },
    { write: (line: string) => write(formatEntry(line)) },
  );
}
