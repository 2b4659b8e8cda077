import { reserveStockInput } from '../../../tasks/order-saga-tasks.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { stockReservations } from '../stock-reservation-composition.js';

export const handler = sagaTaskHandler({
  input: reserveStockInput,
  handle: (input) => stockReservations.reserveStock(input),
});
