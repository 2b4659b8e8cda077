import { releaseStockInput } from '../../../tasks/order-saga-tasks.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { stockReservations } from '../stock-reservation-composition.js';

export const handler = sagaTaskHandler({
  input: releaseStockInput,
  handle: (input) => stockReservations.releaseStock(input),
});
