import { type TakeOverOrderOutput, takeOverOrderInput } from '../../../tasks/order-saga-tasks.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { orders } from '../composition.js';

export const handler = sagaTaskHandler({
  input: takeOverOrderInput,
  handle: async (input): Promise<TakeOverOrderOutput> => ({
    claimed: (await orders.takeOverOrder(input)) === 'claimed',
  }),
});
