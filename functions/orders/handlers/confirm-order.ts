import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type ConfirmOrderOutput, confirmOrderInput } from '../../../tasks/order-saga-tasks.js';
import { metrics } from '../../shared/powertools.js';
import { sagaTaskHandler } from '../../shared/saga-task.js';
import { orders } from '../composition.js';

export const handler = sagaTaskHandler({
  input: confirmOrderInput,
  handle: async (input): Promise<ConfirmOrderOutput> => {
    await orders.confirmOrder(input);
    // Per successful task: a rare duplicate execution of one order's saga counts it twice.
    metrics.addMetric('OrdersConfirmed', MetricUnit.Count, 1);
    return { status: 'CONFIRMED' };
  },
});
