import type { LogFn, Logger } from './logger';

/** One line a {@link createMemoryLogger} logger kept. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string | undefined;
  /** The child bindings, then the line's own fields. */
  fields: Record<string, unknown>;
}

/** A logger that keeps its lines, and every child's, in one array. */
export interface MemoryLogger extends Logger {
  readonly lines: LogLine[];
}

/**
 * A logger that keeps what it is told in memory instead of writing it: for tests that check
 * what a component logs. Children share the parent's `lines`; `onLine`, when given, also sees
 * each line as it is logged.
 *
 * @example
 * ```ts
 * const logger = createMemoryLogger();
 * const manager = createManager({ store, logger });
 * // … later
 * expect(logger.lines.filter((l) => l.fields.controller === 'website')).not.toHaveLength(0);
 * ```
 */
export function createMemoryLogger(onLine?: (line: LogLine) => void): MemoryLogger {
  const lines: LogLine[] = [];
  const make = (bindings: Record<string, unknown>): MemoryLogger => {
    const at =
      (level: LogLine['level']): LogFn =>
      (fields: object | string, message?: string): void => {
        const line: LogLine =
          typeof fields === 'string'
            ? { level, message: fields, fields: { ...bindings } }
            : { level, message, fields: { ...bindings, ...fields } };
        lines.push(line);
        onLine?.(line);
      };
    return {
      lines,
      child: (more) => make({ ...bindings, ...more }),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    };
  };
  return make({});
}
