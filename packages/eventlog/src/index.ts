export { DEFAULT_MAX_ENTRY_BYTES } from './entry';
export {
  AppendConflictError,
  CompactedError,
  CorruptLogError,
  InvalidError,
  isKeelsonError,
  KeelsonError,
  LogClosedError,
  LogLockedError,
  UnsupportedLogFormatError,
} from './errors';
export type { FileLog, FileLogOptions, FsyncMode, RecoveryReport } from './file/fileLog';
export { openFileLog } from './file/fileLog';
export { FORMAT_VERSION } from './file/format';
export type { MemoryLogOptions } from './memoryLog';
export { createMemoryLog } from './memoryLog';
export type { AppendOptions, EventLog, LogEntry, NewLogEntry, ReadOptions, Revision } from './types';
