import { type ClaimOrderOutput, claimOrderInput } from '../../../tasks/order-saga-tasks.js';
import { logger } from '../../shared/powertools.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { orders } from '../composition.js';

export const handler = sagaTaskHandler({
  input: claimOrderInput,
  handle: async (input): Promise<ClaimOrderOutput> => {
    const result = await orders.claimOrder(input);
    // OrderPlaced is written with its order, so a missing order means an event from elsewhere
    // (a replay into another environment, a hand-sent event): end quietly, but leave a trace.
    if (result === 'not-found') logger.warn('order to claim not found; the execution ends without effect');
    return { claimed: result === 'claimed' };
  },
});
