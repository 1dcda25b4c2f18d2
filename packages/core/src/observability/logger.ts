/**
 * The logger every Keelson component accepts: the part of pino's interface it uses, so a
 * `pino()` logger (or a child of one) can be passed as is. Components log with an object of
 * fields first and a message second, and are silent when given none.
 */

/** One level's method: fields first, then the message (pino's calling convention). */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/** A pino-compatible logger. */
export interface Logger {
  /** A logger that adds `bindings` to every line (e.g. `{ component: 'scheduler' }`). */
  child(bindings: Record<string, unknown>): Logger;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const nothing = (): void => undefined;

/** A logger that writes nothing: every component's default. */
export const silentLogger: Logger = {
  child: () => silentLogger,
  debug: nothing,
  info: nothing,
  warn: nothing,
  error: nothing,
};

/** `logger.child({ component })`, or the silent logger when none was given. */
export function componentLogger(logger: Logger | undefined, component: string): Logger {
  return logger === undefined ? silentLogger : logger.child({ component });
}

/** The fields of an error for a log line: its message, and its code when it has one. */
export function errorFields(error: unknown): { error: string; code?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { error: message, code } : { error: message };
}
