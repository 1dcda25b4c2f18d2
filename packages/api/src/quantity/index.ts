export type { QuantityFormat } from './format';
export type { Quantity } from './quantity';
export { compareQuantity, parseQuantity } from './quantity';
