/**
 * The request log of `keelson serve`: pino, writing one readable line per
 * entry to the command's stderr instead of JSON.
 */
import type { ApiLogger } from '@keelson/apiserver';
import { pino } from 'pino';
import { type CliIo, writeLine } from '../io';
import type { LogLevel } from './options';

function clockTime(ms: unknown): string {
  return typeof ms === 'number' ? new Date(ms).toISOString().slice(11, 23) : '--:--:--.---';
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * One pino entry as a line: `12:00:01.250 GET /api/v1/nodes 200 3.1ms admin`
 * for a request, `12:00:01.250 ERROR request failed path=/… boom` otherwise.
 */
export function formatLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const { time, level, msg, method, path, status, ms, user, err, ...rest } = entry;
  if (msg === 'request' && typeof method === 'string') {
    return `${clockTime(time)} ${method} ${String(path)} ${String(status)} ${String(ms)}ms ${typeof user === 'string' ? user : '-'}`;
  }
  const fields = Object.entries({ method, path, status, ms, user, ...rest })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const error = err as { message?: unknown; stack?: unknown } | undefined;
  const detail = error === undefined ? [] : [String(error.stack ?? error.message ?? JSON.stringify(error))];
  return [clockTime(time), LEVELS[Number(level)] ?? String(level), String(msg ?? ''), ...fields, ...detail].join(' ');
}

/**
 * The log of `keelson serve`: a pino logger whose entries reach `io.stderr` as
 * {@link formatLogLine} shows them. The API server logs its requests to it, and
 * the cluster's components (scheduler, controller manager, node agents, node
 * lifecycle, store) their lines, each with its `component` binding.
 */
export function createRequestLog(io: CliIo, level: LogLevel = 'info'): ApiLogger {
  return pino(
    { base: null, level },
    {
      write(line: string) {
        writeLine(io.stderr, formatLogLine(line));
      },
    },
  );
}
