export type { Condition, ConditionStatus } from './conditions/index';
export { getCondition, isFalse, isTrue, removeCondition, setCondition } from './conditions/index';
export type { Quantity, QuantityFormat } from './quantity/index';
export { compareQuantity, parseQuantity } from './quantity/index';
