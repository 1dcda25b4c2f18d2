export type {
  ReconcilerSpecOptions,
  SpecGiven,
  SpecOutcome,
  SpecThen,
  SpecWhen,
  SpecWrite,
} from './reconcilerSpec';
export { reconcilerSpec, SPEC_START, SpecFailure } from './reconcilerSpec';
