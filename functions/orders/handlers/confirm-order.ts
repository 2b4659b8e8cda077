import { type ConfirmOrderOutput, confirmOrderInput } from '../../../tasks/order-saga-tasks.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { orders } from '../composition.js';

export const handler = sagaTaskHandler({
  input: confirmOrderInput,
  handle: async (input): Promise<ConfirmOrderOutput> => {
    await orders.confirmOrder(input);
    return { status: 'CONFIRMED' };
  },
});
