export { AppendOutcomeUnknownError, CorruptEntryError, EtcdUnavailableError } from './errors';
export { openEtcdLog } from './etcdLog';
export type { EtcdLogOptions } from './options';
