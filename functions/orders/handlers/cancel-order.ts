import { type CancelOrderOutput, cancelOrderInput } from '../../../tasks/order-saga-tasks.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { orders } from '../composition.js';

export const handler = sagaTaskHandler({
  input: cancelOrderInput,
  handle: async (input): Promise<CancelOrderOutput> => {
    await orders.cancelOrder(input);
    return { status: 'CANCELLED' };
  },
});
