export type { Condition, ConditionStatus } from './conditions';
export { getCondition, isFalse, isTrue, removeCondition, setCondition } from './conditions';
